"""Other apps' long jobs on the one timeline: print jobs and meeting transcriptions and analyses.

A bus listener reads the events those apps already publish and reports each activity through
``services.timeline.report_activity``; no table of theirs is read or copied. A completed run does not move again, so
a second transcription of a recording whose first one completed is not shown (it stays on the
meeting page); a failed or cancelled one that is started again goes back to pending.
"""
import logging

from django.db import transaction
from django.urls import reverse

from core import topics
from core.errors import DomainError

from .services.timeline import report_activity

log = logging.getLogger(__name__)

# equipment: a job's status → the run state the timeline shows
JOB_STATES = {"queued": "pending", "running": "running", "paused": "paused", "interrupted": "paused",
              "completed": "completed", "cancelled": "cancelled", "failed": "failed"}
JOB_EVENTS = {"job.queued", "job.changed", "job.progress"}
# meetings: a recording's or an analysis' status → the run state
MEETING_STATES = {"queued": "pending", "running": "running", "done": "completed", "failed": "failed"}
TRANSCRIPTION_EVENTS = {"recording.progress", "recording.transcribed", "recording.failed"}
ANALYSIS_EVENTS = {"analysis.progress", "analysis.done", "analysis.failed"}


def activity_for(topic: str, event_type: str, data: dict) -> dict | None:
    """The timeline report one event stands for, or None when it is not a long job's step."""
    name, _ = topics.parse(topic)
    if name == "machine" and event_type in JOB_EVENTS and data.get("status") in JOB_STATES:
        return {"source": "equipment", "reference": f"job-{data['job']}",
                "title": f"Machine job: {data.get('name') or data['job']}", "state": JOB_STATES[data["status"]],
                "progress": _percent(data.get("progress")),
                "link": reverse("equipment:machine", args=[data["machine"]])}
    if name == "meeting" and event_type in TRANSCRIPTION_EVENTS | ANALYSIS_EVENTS:
        status = data.get("status")
        if status not in MEETING_STATES:
            return None
        transcription = event_type in TRANSCRIPTION_EVENTS
        kind = "transcription" if transcription else "analysis"
        ident = data.get("recording") if transcription else data.get("meeting")
        fraction = data.get("progress")
        return {"source": "meetings", "reference": f"{kind}-{ident}",
                "title": f"Meeting {kind}: {data.get('summary', '')}"[:200], "state": MEETING_STATES[status],
                "progress": _percent(fraction * 100 if isinstance(fraction, int | float) else None),
                "link": reverse("meetings:detail", args=[data["meeting"]])}
    return None


def _percent(value) -> int | None:
    return max(0, min(100, int(value))) if isinstance(value, int | float) else None


def on_committed_events(committed) -> None:
    """Bus listener: put each committed print-job or meeting-job event on the timeline."""
    for event in committed:
        report = activity_for(event.topic, event.type, event.data)
        if report is None:
            continue
        try:
            with transaction.atomic():
                report_activity(None, **report)
        except DomainError as exc:  # e.g. a completed activity reported again: the timeline keeps it completed
            log.info("timeline skipped %s %s: %s", event.type, report["reference"], exc)
