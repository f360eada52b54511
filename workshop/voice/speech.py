"""Answers spoken back with espeak-ng, where it is installed."""
import shutil
import subprocess

from core.errors import Conflict


def available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str) -> bytes:
    """A WAV of ``text`` read by espeak-ng; Conflict when espeak-ng is not installed or fails."""
    if not available():
        raise Conflict("Spoken answers need espeak-ng, which is not installed here.", code="no_speech")
    try:
        done = subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "--stdout", text[:500]],
                              capture_output=True, timeout=10, check=True)
    except (subprocess.SubprocessError, OSError) as exc:
        raise Conflict(f"espeak-ng could not read the answer: {exc}", code="no_speech") from exc
    return done.stdout
