"""Action items: accept, edit or drop a proposal; add, complete and reopen items."""
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import audit
from core.errors import Conflict, RuleViolation, check_fields

from ..events import ACTION_ITEM_CHANGED
from ..models import ActionItem
from .common import item_for, meeting_for, publish, require_editor

ITEM_FIELDS = ["task", "owner_user", "owner_name", "due", "priority"]


def _apply(item: ActionItem, fields: dict) -> dict:
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown action item field(s): {', '.join(sorted(unknown))}.")
    if isinstance(fields.get("owner_user"), int):
        fields["owner_user"] = User.objects.filter(pk=fields["owner_user"]).first()
        if fields["owner_user"] is None:
            raise RuleViolation("The owner must be an existing user.", fields={"owner_user": ["unknown"]})
    if isinstance(fields.get("due"), str):
        try:
            fields["due"] = date.fromisoformat(fields["due"]) if fields["due"] else None
        except ValueError as exc:
            raise RuleViolation("Give the due date as YYYY-MM-DD.", fields={"due": ["YYYY-MM-DD"]}) from exc
    before = audit.snapshot(item, list(fields))
    for name, value in fields.items():
        setattr(item, name, value if value is not None or name in ("due", "owner_user") else "")
    if item.owner_user is not None and not item.owner_name:
        user = item.owner_user
        item.owner_name = getattr(user, "display_name", "") or user.get_full_name() or user.get_username()
    item.task = (item.task or "").strip()
    if not item.task:
        raise RuleViolation("Say what needs doing.", fields={"task": ["required"]})
    check_fields(item, exclude=["meeting", "owner_user"])
    return audit.diff(before, item)


def _changed(actor, item: ActionItem, verb: str, changes: dict) -> ActionItem:
    item.save()
    audit.record(actor, f"action_item.{verb}", item, changes)
    publish(item.meeting, ACTION_ITEM_CHANGED, f"{item.task}: {verb}", item=item.pk, status=item.status)
    return item


@transaction.atomic
def add_item(actor, meeting, **fields) -> ActionItem:
    """Add an action item by hand (open straight away)."""
    meeting = meeting_for(actor, meeting, lock=True)
    require_editor(actor, meeting, "add action items")
    item = ActionItem(meeting=meeting, status=ActionItem.Status.OPEN)
    changes = _apply(item, fields)
    return _changed(actor, item, "create", changes)


@transaction.atomic
def accept_item(actor, item, **edits) -> ActionItem:
    """Accept a proposed action item, with any edits, so it becomes open work."""
    item = item_for(actor, item, lock=True)
    require_editor(actor, item.meeting, "review action items")
    if item.status != ActionItem.Status.PROPOSED:
        raise Conflict(f"Only proposed items can be accepted; this one is {item.status}.")
    changes = _apply(item, edits)
    item.status = ActionItem.Status.OPEN
    changes["status"] = [ActionItem.Status.PROPOSED, ActionItem.Status.OPEN]
    return _changed(actor, item, "accept", changes)


@transaction.atomic
def update_item(actor, item, **fields) -> ActionItem:
    """Edit an action item's task, owner, due date or priority."""
    item = item_for(actor, item, lock=True)
    require_editor(actor, item.meeting, "edit action items")
    return _changed(actor, item, "update", _apply(item, fields))


@transaction.atomic
def set_item_status(actor, item, status: str) -> ActionItem:
    """Mark an item done (stamping ``completed_at``), reopen it, or drop it."""
    item = item_for(actor, item, lock=True)
    require_editor(actor, item.meeting, "change action items")
    if status not in (ActionItem.Status.OPEN, ActionItem.Status.DONE, ActionItem.Status.DROPPED):
        raise RuleViolation("Status must be open, done or dropped.", fields={"status": [status]})
    if status == item.status:
        return item
    if item.status == ActionItem.Status.PROPOSED and status == ActionItem.Status.DONE:
        raise Conflict("Accept the proposed item before marking it done.")
    old, item.status = item.status, status
    item.completed_at = timezone.now() if status == ActionItem.Status.DONE else None
    verb = {"open": "reopen", "done": "complete", "dropped": "drop"}[status]
    return _changed(actor, item, verb, {"status": [old, status]})
