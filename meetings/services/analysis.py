"""Analysis of a meeting: summary, decisions and proposed action items, as a background job."""
import logging

from django.db import transaction
from django.db.models import Q

from core import audit
from core.ai import AIError, get_analyzer
from core.ai import Segment as SpokenSegment
from core.errors import Conflict

from ..events import ANALYSIS_DONE, ANALYSIS_FAILED, ANALYSIS_PROGRESS
from ..models import ActionItem, Meeting
from .common import meeting_for, publish, require_editor
from .recordings import meeting_context, transcript_segments

log = logging.getLogger(__name__)


def queue_analysis(meeting: Meeting) -> None:
    """Mark the meeting's analysis queued and start the job once the transaction commits."""
    from ..tasks import analyze_meeting

    Meeting.objects.filter(pk=meeting.pk).update(analysis_status=Meeting.Analysis.QUEUED, analysis_error="")
    publish(meeting, ANALYSIS_PROGRESS, f"{meeting.title}: analysis queued", status=Meeting.Analysis.QUEUED)
    transaction.on_commit(lambda: analyze_meeting.delay(meeting.pk))


@transaction.atomic
def start_analysis(actor, meeting) -> Meeting:
    """Analyze the meeting again on request (its transcript, or its notes when there is none)."""
    meeting = meeting_for(actor, meeting, lock=True)
    require_editor(actor, meeting, "analyze this meeting")
    if meeting.analysis_status == Meeting.Analysis.RUNNING:
        raise Conflict("The analysis is running already; wait for it to finish.")
    if not meeting.transcript.strip() and not meeting.notes.strip():
        # The request is well formed; the meeting is not ready for it (the same request works later).
        raise Conflict("There is nothing to analyze yet: upload a recording or write notes.")
    audit.record(actor, "meeting.analyze", meeting)
    queue_analysis(meeting)
    return meeting


def _segments(meeting: Meeting) -> list[SpokenSegment]:
    spoken = [SpokenSegment(start=s.start, end=s.end, text=s.text, speaker=s.speaker)
              for s in transcript_segments(meeting)]
    if not spoken and meeting.notes.strip():
        spoken = [SpokenSegment(start=0.0, end=0.0, text=meeting.notes)]
    return spoken


def run_analysis(meeting_id: int) -> Meeting | None:
    """Analyze one meeting: the Celery job's body. Proposed items replace earlier proposals; reviewed ones stay."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return None
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(analysis_status=Meeting.Analysis.RUNNING)
        publish(meeting, ANALYSIS_PROGRESS, f"{meeting.title}: analysing", status=Meeting.Analysis.RUNNING)
    try:
        analyzer = get_analyzer()
        result = analyzer.analyze(_segments(meeting), meeting_context(meeting))
    except (AIError, ValueError, RuntimeError, OSError) as exc:
        log.warning("analysis of meeting %s failed: %s", meeting_id, exc)
        with transaction.atomic():
            Meeting.objects.filter(pk=meeting.pk).update(analysis_status=Meeting.Analysis.FAILED,
                                                         analysis_error=str(exc)[:500])
            audit.record(None, "meeting.analysis_failed", meeting, {"error": [None, str(exc)[:500]]})
            publish(meeting, ANALYSIS_FAILED, f"{meeting.title}: analysis failed", status="failed", error=str(exc))
        return meeting
    return _store(meeting.pk, result, analyzer.name)


def _owner_user(meeting: Meeting, name: str | None):
    if not name:
        return None
    attendee = meeting.attendees.filter(Q(name__iexact=name) | Q(name__istartswith=f"{name} ")).first()
    return attendee.user if attendee else None


@transaction.atomic
def _store(meeting_id: int, result, provider: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    meeting.summary = result.summary[:20000]
    meeting.decisions = [d[:500] for d in result.decisions]
    meeting.analysis_status, meeting.analysis_error, meeting.analyzed_by = Meeting.Analysis.DONE, "", provider
    meeting.save(update_fields=["summary", "decisions", "analysis_status", "analysis_error", "analyzed_by",
                                "updated_at"])
    meeting.action_items.filter(status=ActionItem.Status.PROPOSED).delete()
    items = []
    for proposal in result.items:
        items.append(ActionItem(
            meeting=meeting, task=proposal.task[:300], owner_name=(proposal.owner or "")[:150],
            owner_user=_owner_user(meeting, proposal.owner), due=proposal.due, confidence=proposal.confidence,
            start=proposal.start, source_text=proposal.source[:2000], status=ActionItem.Status.PROPOSED,
            proposed_by=provider))
    ActionItem.objects.bulk_create(items)
    audit.record(None, "meeting.analyzed", meeting, {"action_items": [None, len(items)],
                                                      "decisions": [None, len(meeting.decisions)]})
    publish(meeting, ANALYSIS_DONE, f"{meeting.title}: {len(items)} action items proposed", status="done",
            items=len(items), decisions=len(meeting.decisions))
    return meeting
