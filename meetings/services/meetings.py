"""Meetings: create, edit (with a version snapshot each time), publish, archive, delete, restore, comment."""
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.roles import MEMBER, require_role
from core import audit
from core.errors import Conflict, NotFound, RuleViolation, check_fields

from ..events import COMMENT_ADDED, MEETING_CHANGED
from ..models import Attendee, Comment, Meeting, MeetingVersion
from .common import meeting_for, publish, require_editor
from .search import refresh_search

MEETING_FIELDS = ["title", "kind", "starts_at", "duration_minutes", "agenda", "notes", "decisions", "summary",
                  "project_id"]
VERSIONED = MEETING_FIELDS + ["status"]
STATUS_MOVES = {
    Meeting.Status.DRAFT: {Meeting.Status.PUBLISHED, Meeting.Status.ARCHIVED},
    Meeting.Status.PUBLISHED: {Meeting.Status.DRAFT, Meeting.Status.ARCHIVED},
    Meeting.Status.ARCHIVED: {Meeting.Status.DRAFT, Meeting.Status.PUBLISHED},
}


def _check(meeting: Meeting) -> None:
    if isinstance(meeting.duration_minutes, int) and meeting.duration_minutes > 24 * 60:
        raise RuleViolation("A meeting lasts at most 24 hours.", fields={"duration_minutes": ["at most 1440"]})
    check_fields(meeting, exclude=["created_by", "search_vector"])
    if not isinstance(meeting.decisions, list) or not all(isinstance(d, str) for d in meeting.decisions):
        raise RuleViolation("Decisions are a list of texts.", fields={"decisions": ["a list of strings"]})


def _name_of(user) -> str:
    """How a user is called in minutes: display name, full name, or username."""
    return getattr(user, "display_name", "") or user.get_full_name() or user.get_username()


def _set_attendees(meeting: Meeting, attendees: list[dict]) -> None:
    """Replace the attendee list: each is ``{"user": User}`` or ``{"name": str, "email": str}``."""
    rows, seen = [], set()
    for entry in attendees:
        user = entry.get("user")
        if isinstance(user, int):
            user = User.objects.filter(pk=user).first()
            if user is None:
                raise RuleViolation("An attendee names a user who does not exist.", fields={"attendees": ["user"]})
        name = (entry.get("name") or (_name_of(user) if user else "")).strip()
        if not name:
            raise RuleViolation("Each guest needs a name.", fields={"attendees": ["name required"]})
        if name.lower() in seen:
            raise Conflict(f"{name} is listed twice.", fields={"attendees": ["duplicate"]})
        seen.add(name.lower())
        row = Attendee(meeting=meeting, user=user, name=name[:150], email=(entry.get("email") or "").strip())
        check_fields(row, exclude=["meeting"])
        rows.append(row)
    meeting.attendees.all().delete()
    Attendee.objects.bulk_create(rows)


def _check_project(actor, project_id) -> None:
    """A meeting may name only a project its editor can see."""
    from projects.queries import visible_projects

    if project_id is not None and not visible_projects(actor).filter(pk=project_id).exists():
        raise RuleViolation(f"There is no project {project_id} you can see.",
                            fields={"project_id": [f"No project with id {project_id}."]})


def _snapshot(actor, meeting: Meeting) -> MeetingVersion:
    data = audit.snapshot(meeting, VERSIONED)
    data["attendees"] = list(meeting.attendees.order_by("name").values_list("name", flat=True))
    number = (meeting.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return MeetingVersion.objects.create(meeting=meeting, number=number, data=data, actor=actor)


@transaction.atomic
def create_meeting(actor, *, attendees: list[dict] | None = None, **fields) -> Meeting:
    """Record a new meeting (members and above); it starts as a draft with its first version."""
    require_role(actor, MEMBER, "record meetings")
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown meeting field(s): {', '.join(sorted(unknown))}.")
    meeting = Meeting(created_by=actor, **fields)
    _check(meeting)
    _check_project(actor, meeting.project_id)
    meeting.save()
    _set_attendees(meeting, attendees or [])
    _snapshot(actor, meeting)
    refresh_search(meeting.pk)
    audit.record(actor, "meeting.create", meeting, {name: [None, audit.plain(v)] for name, v in fields.items()})
    publish(meeting, MEETING_CHANGED, f"{meeting.title} created", status=meeting.status)
    return meeting


@transaction.atomic
def update_meeting(actor, meeting, *, attendees: list[dict] | None = None, **fields) -> Meeting:
    """Change a meeting's fields or attendees; every edit keeps a version snapshot."""
    meeting = meeting_for(actor, meeting, lock=True)
    require_editor(actor, meeting)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown meeting field(s): {', '.join(sorted(unknown))}.")
    before = audit.snapshot(meeting, list(fields))
    before_people = sorted(meeting.attendees.values_list("name", flat=True))
    if "project_id" in fields and fields["project_id"] != meeting.project_id:
        _check_project(actor, fields["project_id"])
    for name, value in fields.items():
        setattr(meeting, name, value)
    _check(meeting)
    meeting.save()
    changes = audit.diff(before, meeting)
    if attendees is not None:
        _set_attendees(meeting, attendees)
        after_people = sorted(meeting.attendees.values_list("name", flat=True))
        if after_people != before_people:
            changes["attendees"] = [before_people, after_people]
    if changes:
        _snapshot(actor, meeting)
        refresh_search(meeting.pk)
        audit.record(actor, "meeting.update", meeting, changes)
        publish(meeting, MEETING_CHANGED, f"{meeting.title} edited", status=meeting.status, fields=sorted(changes))
    return meeting


@transaction.atomic
def set_meeting_status(actor, meeting, status: str) -> Meeting:
    """Publish, archive or return a meeting to draft."""
    meeting = meeting_for(actor, meeting, lock=True)
    require_editor(actor, meeting, "publish or archive this meeting")
    if status not in Meeting.Status.values:
        raise RuleViolation(f"Status must be one of {', '.join(Meeting.Status.values)}.", fields={"status": [status]})
    if status == meeting.status:
        return meeting
    if status not in STATUS_MOVES[meeting.status]:
        raise Conflict(f"A {meeting.status} meeting cannot become {status}.")
    old, meeting.status = meeting.status, status
    meeting.save(update_fields=["status", "updated_at"])
    _snapshot(actor, meeting)
    audit.record(actor, "meeting.status", meeting, {"status": [old, status]})
    publish(meeting, MEETING_CHANGED, f"{meeting.title} {status}", status=status)
    return meeting


@transaction.atomic
def delete_meeting(actor, meeting) -> Meeting:
    """Move a meeting to the bin (soft delete); it can be restored."""
    meeting = meeting_for(actor, meeting, lock=True)
    require_editor(actor, meeting, "delete this meeting")
    meeting.deleted_at = timezone.now()
    meeting.save(update_fields=["deleted_at", "updated_at"])
    audit.record(actor, "meeting.delete", meeting, {"deleted_at": [None, audit.plain(meeting.deleted_at)]})
    publish(meeting, MEETING_CHANGED, f"{meeting.title} deleted", status="deleted")
    return meeting


@transaction.atomic
def restore_meeting(actor, meeting) -> Meeting:
    """Bring a deleted meeting back."""
    meeting = meeting_for(actor, meeting, include_deleted=True, lock=True)
    require_editor(actor, meeting, "restore this meeting")
    if meeting.deleted_at is None:
        raise Conflict("This meeting is not deleted.")
    old, meeting.deleted_at = meeting.deleted_at, None
    meeting.save(update_fields=["deleted_at", "updated_at"])
    audit.record(actor, "meeting.restore", meeting, {"deleted_at": [audit.plain(old), None]})
    publish(meeting, MEETING_CHANGED, f"{meeting.title} restored", status=meeting.status)
    return meeting


def diff_versions(actor, meeting, first: int, second: int) -> dict:
    """``{"field": [value in first, value in second]}`` for every field that differs between two versions."""
    meeting = meeting_for(actor, meeting)
    found = {v.number: v.data for v in meeting.versions.filter(number__in=[first, second])}
    missing = [str(n) for n in (first, second) if n not in found]
    if missing:
        raise NotFound(f"This meeting has no version {', '.join(missing)}.", fields={"versions": missing})
    a, b = found[first], found[second]
    return {name: [a.get(name), b.get(name)] for name in sorted(set(a) | set(b)) if a.get(name) != b.get(name)}


@transaction.atomic
def add_comment(actor, meeting, *, body: str, parent=None) -> Comment:
    """Comment on a meeting, or reply to one of its comments (anyone who may see it, viewers excepted)."""
    require_role(actor, MEMBER, "comment on meetings")
    meeting = meeting_for(actor, meeting)
    body = (body or "").strip()
    if not body:
        raise RuleViolation("Write something to comment.", fields={"body": ["required"]})
    if parent is not None:
        parent = Comment.objects.filter(pk=getattr(parent, "pk", parent), meeting=meeting).first()
        if parent is None:
            raise RuleViolation("Reply to a comment of this meeting.", fields={"parent": ["not in this meeting"]})
    comment = Comment(meeting=meeting, parent=parent, author=actor, body=body)
    check_fields(comment, exclude=["author"])
    comment.save()
    audit.record(actor, "meeting.comment", meeting, {"comment": [None, comment.pk]})
    publish(meeting, COMMENT_ADDED, f"{actor} commented", comment=comment.pk, parent=parent.pk if parent else None)
    return comment
