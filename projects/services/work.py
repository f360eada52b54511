"""Comments, worklogs and links from tasks to bookings and assets."""
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core import audit, events
from core.errors import Conflict, NotFound, RuleViolation
from core.parsing import as_id

from .. import events as types
from ..models import Task, TaskComment, TaskLink, WorkLog
from .common import require_worker, to_hours, topics
from .tasks import _locked_task

MAX_COMMENT = 10000


@transaction.atomic
def add_comment(actor, task: Task, body: str) -> TaskComment:
    """Comment on a task (project members with the member role or above)."""
    project, task = _locked_task(actor, task)
    require_worker(actor, project, "comment")
    body = (body or "").strip()
    if not body:
        raise RuleViolation("Write something in the comment.", fields={"body": ["Required."]})
    if len(body) > MAX_COMMENT:
        raise RuleViolation(f"A comment is at most {MAX_COMMENT} characters.", fields={"body": ["Too long."]})
    comment = TaskComment.objects.create(task=task, author=actor, body=body)
    audit.record(actor, "task.comment", task, {"comment": [None, comment.pk]})
    events.publish(topics(project), types.TASK_COMMENTED, {"project": project.pk, "task": task.pk,
                                                           "comment": comment.pk, "author": actor.pk})
    return comment


@transaction.atomic
def log_work(actor, task: Task, *, hours, note: str = "", date: date | None = None) -> WorkLog:
    """Record hours spent on a task; the task's actual hours become the sum of its worklogs."""
    project, task = _locked_task(actor, task)
    require_worker(actor, project, "log work")
    hours = to_hours(hours, "hours", allow_zero=False)
    if hours is None:
        raise RuleViolation("Say how many hours.", fields={"hours": ["Required."]})
    day = date or timezone.localdate()
    if day > timezone.localdate():
        raise RuleViolation("Work cannot be logged for a day that has not come yet.", fields={"date": ["In future."]})
    note = (note or "").strip()
    if len(note) > 255:
        raise RuleViolation("A worklog note is at most 255 characters.", fields={"note": ["Too long."]})
    log = WorkLog.objects.create(task=task, user=actor, hours=hours, note=note, date=day)
    task.actual_hours = task.worklogs.aggregate(total=Sum("hours"))["total"] or 0
    task.save(update_fields=["actual_hours", "updated_at"])
    audit.record(actor, "task.log_work", task, {"hours": [None, str(hours)], "date": [None, str(day)]})
    events.publish(topics(project), types.WORK_LOGGED, {"project": project.pk, "task": task.pk, "hours": hours,
                                                        "actual_hours": task.actual_hours, "user": actor.pk})
    return log


@transaction.atomic
def link_task(actor, task: Task, *, booking=None, asset=None) -> TaskLink:
    """Link a task to a booking (scheduler) or an asset (inventory); their tables are only read."""
    from inventory.models import Asset
    from scheduler.models import Booking

    project, task = _locked_task(actor, task)
    require_worker(actor, project, "link tasks")
    if (booking is None) == (asset is None):
        raise RuleViolation("Link one booking or one asset.", fields={"booking": ["Give booking or asset."]})
    if booking is not None:
        target = Booking.objects.filter(pk=as_id(getattr(booking, "pk", booking))).first()
        field, label = "booking", "booking"
    else:
        target = Asset.objects.filter(pk=as_id(getattr(asset, "pk", asset))).first()
        field, label = "asset", "asset"
    if target is None:
        raise RuleViolation(f"There is no such {label}.", fields={field: [f"Unknown {label}."]})
    if TaskLink.objects.filter(task=task, **{field: target}).exists():
        raise Conflict(f"The task is linked to that {label} already.", fields={field: ["Linked already."]})
    link = TaskLink.objects.create(task=task, created_by=actor, **{field: target})
    audit.record(actor, "task.link", task, {field: [None, target.pk]})
    events.publish(topics(project), types.TASK_LINKED, {"project": project.pk, "task": task.pk, "link": link.pk,
                                                        field: target.pk})
    return link


@transaction.atomic
def unlink_task(actor, link: TaskLink) -> None:
    """Remove a task's link to a booking or an asset."""
    project, task = _locked_task(actor, link.task_id)
    require_worker(actor, project, "unlink tasks")
    link = TaskLink.objects.filter(pk=link.pk, task=task).first()
    if link is None:
        raise NotFound("There is no such link.")
    audit.record(actor, "task.unlink", task, {"booking": [link.booking_id, None], "asset": [link.asset_id, None]})
    link.delete()
    events.publish(topics(project), types.TASK_UNLINKED, {"project": project.pk, "task": task.pk})
