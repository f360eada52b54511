"""Reads that are more than a filter: minutes, overdue items, analytics."""
import statistics
from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from .access import visible_meetings
from .models import ActionItem, Meeting, Recording


def visible_items(user):
    """Action items of meetings ``user`` may see."""
    return ActionItem.objects.filter(meeting__in=visible_meetings(user))


def with_task_status(rows):
    """Annotate each item with the status of the project task it became (read from the projects app)."""
    from projects.models import Task

    return rows.annotate(task_status=Subquery(Task.objects.filter(pk=OuterRef("project_task_id")).values("status")[:1]))


def task_status_of(item) -> str | None:
    """The status of the task an item became, from an annotation or one read."""
    if hasattr(item, "task_status"):
        return item.task_status
    if not item.project_task_id:
        return None
    from projects.models import Task

    return Task.objects.filter(pk=item.project_task_id).values_list("status", flat=True).first()


def overdue(rows, today=None):
    """Open items whose due day has passed."""
    today = today or timezone.localdate()
    return rows.filter(status=ActionItem.Status.OPEN, due__lt=today)


def minutes(meeting: Meeting) -> dict:
    """The meeting's minutes: transcript, summary, decisions, and its action items (dropped ones left out)."""
    items = meeting.action_items.exclude(status=ActionItem.Status.DROPPED).select_related("owner_user")
    return {
        "transcript": meeting.transcript,
        "summary": meeting.summary,
        "decisions": list(meeting.decisions),
        "action_items": [{"owner": item.owner_label or None, "task": item.task, "due": item.due,
                          "confidence": item.confidence, "start": item.start, "status": item.status}
                         for item in items.order_by("start", "id")],
    }


def latest_recording(meeting: Meeting):
    """The meeting's newest recording, or None."""
    return meeting.recordings.order_by("-created_at", "-id").first()


def analytics(user, weeks: int = 12) -> dict:
    """Meetings per week, action items by status, completion rate, overdue count and median days to close."""
    today = timezone.localdate()
    since = timezone.now() - timedelta(weeks=weeks)
    meetings = visible_meetings(user)
    per_week = (meetings.filter(starts_at__gte=since).annotate(week=TruncWeek("starts_at")).values("week")
                .annotate(count=Count("id")).order_by("week"))
    items = visible_items(user)
    by_status = {row["status"]: row["count"] for row in items.values("status").annotate(count=Count("id"))}
    counts = {status: by_status.get(status, 0) for status in ActionItem.Status.values}
    settled = counts["done"] + counts["open"]
    closed = items.filter(status=ActionItem.Status.DONE, completed_at__isnull=False).values_list(
        "created_at", "completed_at")[:5000]
    days = [(done - made).total_seconds() / 86400 for made, done in closed]
    totals = meetings.aggregate(total=Count("id"), published=Count("id", filter=Q(status="published")))
    return {
        "meetings_per_week": [{"week": row["week"].date().isoformat(), "count": row["count"]} for row in per_week],
        "action_items_by_status": counts,
        "completion_rate": round(counts["done"] / settled, 3) if settled else None,
        "overdue": overdue(items, today).count(),
        "median_days_to_close": round(statistics.median(days), 2) if days else None,
        "meetings": totals["total"],
        "published": totals["published"],
        "transcribed_hours": round(sum(Recording.objects.filter(
            meeting__in=meetings, status="done").values_list("duration", flat=True)[:10000], 0.0) / 3600, 2),
    }
