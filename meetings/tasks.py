"""Celery jobs of the meetings app: thin, they call the services."""
from celery import shared_task


@shared_task(name="meetings.tasks.transcribe_recording")
def transcribe_recording(recording_id: int) -> str | None:
    """Transcribe one recording and then queue the meeting's analysis."""
    from .services import run_transcription

    recording = run_transcription(recording_id)
    return recording.status if recording else None


@shared_task(name="meetings.tasks.analyze_meeting")
def analyze_meeting(meeting_id: int) -> str | None:
    """Find the summary, decisions and action items of one meeting."""
    from .services import run_analysis

    meeting = run_analysis(meeting_id)
    return meeting.analysis_status if meeting else None
