"""What the meeting services share: fetching what the actor may see, locking, event data."""
from accounts.roles import MEMBER, OPERATOR, has_role
from core import events
from core.errors import NotFound, PermissionDenied
from core.parsing import as_id

from ..access import visible_meetings
from ..models import ActionItem, Meeting


def meeting_for(actor, meeting_id, *, include_deleted: bool = False, lock: bool = False) -> Meeting:
    """The meeting with that id if ``actor`` may see it, else NotFound (never a hint that it exists)."""
    pk = as_id(meeting_id if not isinstance(meeting_id, Meeting) else meeting_id.pk)
    rows = visible_meetings(actor, include_deleted=include_deleted)
    if lock:
        if pk is None or not rows.filter(pk=pk).exists():
            raise NotFound("No such meeting.")
        return Meeting.objects.select_for_update().get(pk=pk)
    meeting = rows.filter(pk=pk).first() if pk is not None else None
    if meeting is None:
        raise NotFound("No such meeting.")
    return meeting


def may_edit(actor, meeting: Meeting) -> bool:
    """Operators and admins, the meeting's creator, and attendees with the member role may edit it."""
    if has_role(actor, OPERATOR):
        return True
    if not has_role(actor, MEMBER):
        return False
    return meeting.created_by_id == actor.pk or meeting.attendees.filter(user=actor).exists()


def require_editor(actor, meeting: Meeting, doing: str = "change this meeting") -> None:
    """PermissionDenied unless ``actor`` may edit ``meeting``."""
    if not may_edit(actor, meeting):
        raise PermissionDenied(f"Only its attendees (members), its creator or an operator may {doing}.")


def item_for(actor, item_id, *, lock: bool = False) -> ActionItem:
    """The action item with that id if ``actor`` may see its meeting, else NotFound."""
    pk = as_id(item_id if not isinstance(item_id, ActionItem) else item_id.pk)
    rows = ActionItem.objects.filter(meeting__in=visible_meetings(actor))
    if pk is None or not rows.filter(pk=pk).exists():
        raise NotFound("No such action item.")
    if lock:
        return ActionItem.objects.select_for_update().select_related("meeting").get(pk=pk)
    return ActionItem.objects.select_related("meeting").get(pk=pk)


def publish(meeting: Meeting, type: str, summary: str, **data) -> None:
    """Publish ``type`` on the meeting's topic once the transaction commits."""
    events.publish(f"meeting:{meeting.pk}", type, {"meeting": meeting.pk, "summary": summary, **data})
