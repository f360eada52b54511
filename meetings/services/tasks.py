"""Action items become project tasks, through the projects app's own service."""
from django.db import transaction

from core import audit
from core.errors import Conflict, RuleViolation
from core.parsing import as_id

from ..events import ACTION_ITEM_CHANGED
from ..models import ActionItem
from .common import item_for, publish, require_editor


@transaction.atomic
def convert_to_task(actor, item, *, project=None) -> ActionItem:
    """Turn an open action item into a task of the meeting's project (or ``project``), in one call.

    The task is made by ``projects.services.create_task``, so the projects app's rules apply (only
    project members with the member role add tasks; an owner who is not on the project is left
    unassigned). The item keeps the task's id, and the task's description names the meeting and
    the item, so each leads to the other.
    """
    from projects import services as project_services
    from projects.queries import get_project, is_project_member

    item = item_for(actor, item, lock=True)
    meeting = item.meeting
    require_editor(actor, meeting, "turn action items into tasks")
    if item.project_task_id:
        raise Conflict(f"This item is task #{item.project_task_id} already.")
    if item.status != ActionItem.Status.OPEN:
        raise Conflict(f"Only open items become tasks; this one is {item.status}. Accept it first.")
    project_id = as_id(getattr(project, "pk", project)) if project is not None else meeting.project_id
    if project_id is None:
        raise RuleViolation("Say which project the task belongs to: this meeting has none.",
                            fields={"project": ["Required: this meeting has no project."]})
    target = get_project(actor, project_id)
    owner = item.owner_user if item.owner_user and is_project_member(item.owner_user, target) else None
    when = meeting.starts_at.date().isoformat()
    task = project_services.create_task(
        actor, target, title=item.task[:200], priority=item.priority, due_date=item.due, assignee=owner,
        description=f"Action item #{item.pk} from the meeting \"{meeting.title}\" on {when}"
                    + (f" (owner: {item.owner_label})" if item.owner_label else "")
                    + (f": \"{item.source_text}\"" if item.source_text else "."),
    )
    item.project_task_id = task.pk
    item.save(update_fields=["project_task_id", "updated_at"])
    audit.record(actor, "action_item.convert", item, {"project_task_id": [None, task.pk]})
    publish(meeting, ACTION_ITEM_CHANGED, f"{item.task}: now task #{task.pk}", item=item.pk, status=item.status,
            task=task.pk)
    return item
