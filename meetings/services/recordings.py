"""Recordings: upload, transcription as a background job with progress, re-runs."""
import logging
import time
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from core import audit
from core.ai import AIError, MeetingContext, get_transcriber
from core.errors import Conflict, NotFound
from core.parsing import as_id

from ..events import RECORDING_UPLOADED, TRANSCRIPTION_DONE, TRANSCRIPTION_FAILED, TRANSCRIPTION_PROGRESS
from ..models import Meeting, Recording, Segment
from .audio import check_upload
from .common import meeting_for, publish, require_editor
from .search import refresh_search

log = logging.getLogger(__name__)
PROGRESS_STEP = 0.05  # publish progress in steps of 5 %, not on every segment
STALE_MINUTES = 30  # a job silent this long has died with its worker; it may be started again


@transaction.atomic
def upload_recording(actor, meeting, upload) -> Recording:
    """Store a recording of the meeting under a generated name and queue its transcription."""
    meeting = meeting_for(actor, meeting, lock=True)
    require_editor(actor, meeting, "add recordings to this meeting")
    kind, seconds = check_upload(upload)
    recording = Recording(meeting=meeting, original_name=(upload.name or "recording")[-255:], audio_format=kind,
                          size=upload.size, duration=round(seconds, 2), uploaded_by=actor)
    recording.file.save("upload", upload, save=False)
    recording.save()
    audit.record(actor, "recording.upload", recording, {"size": [None, recording.size]})
    publish(meeting, RECORDING_UPLOADED, f"{recording.original_name} uploaded", recording=recording.pk,
            status=recording.status, progress=0.0)
    _enqueue(recording.pk)
    return recording


@transaction.atomic
def start_transcription(actor, recording_id) -> Recording:
    """Queue (again) the transcription of a recording; refused while one is queued or running."""
    recording = Recording.objects.filter(pk=as_id(getattr(recording_id, "pk", recording_id))).first()
    if recording is None:
        raise NotFound("No such recording.")
    meeting = meeting_for(actor, recording.meeting_id)
    recording = Recording.objects.select_for_update().get(pk=recording.pk)
    require_editor(actor, meeting, "transcribe this meeting's recordings")
    stale = timezone.now() - timedelta(minutes=STALE_MINUTES)
    if recording.status == Recording.Status.RUNNING and recording.updated_at > stale:
        raise Conflict("This recording is being transcribed already; wait for it to finish.")
    recording.status, recording.progress, recording.error = Recording.Status.QUEUED, 0.0, ""
    recording.save(update_fields=["status", "progress", "error", "updated_at"])
    audit.record(actor, "recording.transcribe", recording)
    publish(meeting, TRANSCRIPTION_PROGRESS, f"{recording.original_name} queued", recording=recording.pk,
            status=recording.status, progress=0.0)
    _enqueue(recording.pk)
    return recording


def _enqueue(recording_id: int) -> None:
    from ..tasks import transcribe_recording

    transaction.on_commit(lambda: transcribe_recording.delay(recording_id))


def meeting_context(meeting: Meeting) -> MeetingContext:
    """What helps the speech model and the analyzer: day, attendee names, agenda, the lab's own names.

    The lab's names are read (never written) from the scheduler's devices, the equipment app's
    machines when it is installed, and the inventory's materials.
    """
    vocabulary = []
    for label, model_name in (("scheduler", "Device"), ("equipment", "Machine"), ("inventory", "Material")):
        try:
            model = apps.get_model(label, model_name)
        except LookupError:
            continue
        vocabulary += list(model.objects.order_by("name").values_list("name", flat=True)[:60])
    attendees = list(meeting.attendees.order_by("name").values_list("name", flat=True))
    return MeetingContext(held_on=timezone.localdate(meeting.starts_at), attendees=attendees,
                          agenda=meeting.agenda, vocabulary=vocabulary)


def _set_progress(recording: Recording, status: str, progress: float, **extra) -> None:
    with transaction.atomic():
        Recording.objects.filter(pk=recording.pk).update(status=status, progress=progress, updated_at=timezone.now(),
                                                         **extra)
        publish(recording.meeting, TRANSCRIPTION_PROGRESS, f"{recording.original_name} {int(progress * 100)} %",
                recording=recording.pk, status=status, progress=round(progress, 3))


def run_transcription(recording_id: int) -> Recording | None:
    """Transcribe one queued recording: the Celery job's body. Publishes progress; stores segments at the end.

    Each step commits on its own, so the page sees progress while the model works, and a
    failure leaves the recording marked failed with the reason instead of half a transcript.
    """
    recording = Recording.objects.select_related("meeting").filter(pk=recording_id).first()
    claimed = Recording.objects.filter(pk=recording_id, status=Recording.Status.QUEUED).update(
        status=Recording.Status.RUNNING, updated_at=timezone.now())
    if recording is None or not claimed:
        return recording  # gone, or already taken by another delivery of this job
    try:
        transcriber = get_transcriber()
        context = meeting_context(recording.meeting)
        _set_progress(recording, Recording.Status.RUNNING, 0.0, provider=transcriber.name)
        shown = [0.0]

        def advanced(fraction: float) -> None:
            if fraction - shown[0] >= PROGRESS_STEP and fraction < 1.0:
                shown[0] = fraction
                _set_progress(recording, Recording.Status.RUNNING, fraction)

        began = time.monotonic()
        result = transcriber.transcribe(recording.file.path, context, advanced)
        spent = time.monotonic() - began
    except (AIError, OSError, ValueError, RuntimeError) as exc:
        log.warning("transcription of recording %s failed: %s", recording_id, exc)
        return _failed(recording, str(exc) or type(exc).__name__)
    return _store(recording, result, spent)


@transaction.atomic
def _store(recording: Recording, result, spent: float) -> Recording:
    recording = Recording.objects.select_for_update().select_related("meeting").get(pk=recording.pk)
    recording.segments.all().delete()
    Segment.objects.bulk_create([
        Segment(recording=recording, index=i, start=s.start, end=s.end, text=s.text, speaker=s.speaker)
        for i, s in enumerate(result.segments)
    ])
    recording.status, recording.progress, recording.error = Recording.Status.DONE, 1.0, ""
    recording.duration, recording.processing_seconds = result.duration or recording.duration, round(spent, 3)
    recording.save()
    meeting = recording.meeting
    meeting.transcript = result.text
    meeting.save(update_fields=["transcript", "updated_at"])
    refresh_search(meeting.pk)
    audit.record(None, "recording.transcribed", recording, {"segments": [None, len(result.segments)]})
    publish(meeting, TRANSCRIPTION_DONE, f"{recording.original_name} transcribed", recording=recording.pk,
            status=recording.status, progress=1.0, segments=len(result.segments))
    from .analysis import queue_analysis

    queue_analysis(meeting)
    return recording


@transaction.atomic
def _failed(recording: Recording, reason: str) -> Recording:
    Recording.objects.filter(pk=recording.pk).update(status=Recording.Status.FAILED, error=reason[:500])
    recording.refresh_from_db()
    audit.record(None, "recording.failed", recording, {"error": [None, reason[:500]]})
    publish(recording.meeting, TRANSCRIPTION_FAILED, f"{recording.original_name} failed: {reason[:100]}",
            recording=recording.pk, status=recording.status, error=reason[:500], progress=recording.progress)
    return recording


def transcript_segments(meeting: Meeting) -> list[Segment]:
    """Segments of the meeting's newest finished transcription, in order."""
    recording = meeting.recordings.filter(status=Recording.Status.DONE).order_by("-created_at", "-id").first()
    return list(recording.segments.order_by("index")) if recording else []
