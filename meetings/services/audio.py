"""Checks an upload really is audio of a kind we take, by its content, not its name."""
from django.conf import settings

from core.errors import RuleViolation

FORMATS = {"wav": "WAV", "mp3": "MP3", "m4a": "M4A", "ogg": "OGG", "webm": "WEBM"}


def sniff(head: bytes) -> str | None:
    """The audio format the first bytes announce, or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    return None


def check_upload(upload) -> tuple[str, float]:
    """(format, seconds) of an uploaded file; RuleViolation saying what to fix when it is not usable audio."""
    limit = settings.MEETINGS_MAX_UPLOAD_MB * 1024 * 1024
    if upload is None:
        raise RuleViolation("Attach the recording as the form field 'file'.", fields={"file": ["required"]})
    if upload.size > limit:
        raise RuleViolation(f"Recordings may be at most {settings.MEETINGS_MAX_UPLOAD_MB} MB.",
                            fields={"file": ["too large"]})
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise RuleViolation(f"Upload audio as {', '.join(FORMATS.values())}; this file is none of them.",
                            fields={"file": ["not audio"]})
    seconds = _probe(upload)
    upload.seek(0)
    return kind, seconds


def _probe(upload) -> float:
    """Open the file with PyAV (the decoder faster-whisper uses) and read its length."""
    import av

    try:
        with av.open(upload, mode="r") as container:
            streams = container.streams.audio
            if not streams:
                raise RuleViolation("This file has no sound in it.", fields={"file": ["no audio stream"]})
            stream = streams[0]
            if stream.duration is not None and stream.time_base is not None:
                return float(stream.duration * stream.time_base)
            if container.duration:
                return container.duration / 1_000_000
            return sum(float(frame.samples) / frame.sample_rate for frame in container.decode(stream))
    except (av.FFmpegError, ValueError, OSError) as exc:
        raise RuleViolation(f"This audio cannot be read: {exc}.", fields={"file": ["unreadable"]}) from exc
