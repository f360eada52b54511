"""Who may see a meeting, and so follow its websocket topic."""
from django.db.models import Q

from accounts.roles import OPERATOR, VIEWER, has_role
from core.parsing import as_id


def visible_meetings(user, *, include_deleted: bool = False):
    """The meetings ``user`` may see: attendees, the creator, the linked project's members, operators and admins."""
    from .models import Meeting

    rows = Meeting.objects.all() if include_deleted else Meeting.objects.filter(deleted_at__isnull=True)
    if not has_role(user, VIEWER):
        return rows.none()
    if has_role(user, OPERATOR):
        return rows
    rule = Q(attendees__user=user) | Q(created_by=user)
    project_ids = member_project_ids(user)
    if project_ids is not None:
        rule |= Q(project_id__in=project_ids)
    return rows.filter(pk__in=Meeting.objects.filter(rule).values("pk"))


def member_project_ids(user):
    """Ids of the projects ``user`` may see (owner, member, on its team), by the projects app's own query."""
    from projects.queries import visible_projects

    return visible_projects(user).values("pk")


def may_follow_meeting(user, arg) -> bool:
    """Topic ``meeting:<id>``: a meeting's changes and transcription progress, for those who may see it."""
    meeting_id = as_id(arg)
    return meeting_id is not None and visible_meetings(user).filter(pk=meeting_id).exists()
