"""Pieces every projects service uses: locking a project, who may do what, and field checks."""
from decimal import Decimal, InvalidOperation

from accounts.roles import MEMBER, OPERATOR, has_role
from core.errors import Conflict, NotFound, PermissionDenied, RuleViolation

from ..models import Project, TeamMembership
from ..queries import visible_projects

MAX_TAGS = 20
TAG_LENGTH = 40


def topics(project) -> list[str]:
    """The topics a project's events go to."""
    return [f"project:{project.pk if isinstance(project, Project) else project}"]


def lock_project(actor, project) -> Project:
    """The project row, re-read and locked until the transaction ends; 404 when ``actor`` may not see it.

    Every change to a project's board, BOM or files takes this lock first, so two people moving
    cards at once are served one after the other and positions stay dense (on SQLite the
    IMMEDIATE transaction already holds the write lock and ``select_for_update`` is a no-op).
    """
    pk = project.pk if isinstance(project, Project) else project
    locked = visible_projects(actor).select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound(f"There is no project {pk}.")
    return locked


def require_worker(actor, project: Project, doing: str = "change this project") -> None:
    """Members and above who see the project may work on it, unless it is archived."""
    if not has_role(actor, MEMBER):
        raise PermissionDenied(f"Viewers only read projects; a member or above may {doing}.")
    if project.status == Project.Status.ARCHIVED:
        raise Conflict(f"Project '{project.name}' is archived: restore it before you {doing}.", code="archived")


def may_manage(actor, project: Project) -> bool:
    """The owner, a lead or admin of the project's team, operators and admins manage a project."""
    if has_role(actor, OPERATOR) or project.owner_id == actor.pk:
        return True
    return bool(project.team_id) and TeamMembership.objects.filter(
        team_id=project.team_id, user=actor, role__in=[TeamMembership.Role.LEAD, TeamMembership.Role.ADMIN]
    ).exists()


def require_manager(actor, project: Project, doing: str) -> None:
    """Only those who manage the project (see ``may_manage``) may ``doing``."""
    if not has_role(actor, MEMBER) or not may_manage(actor, project):
        raise PermissionDenied(f"Only the project's owner, a lead of its team or an operator may {doing}.")


def clean_tags(value) -> list[str]:
    """Tags as stored: trimmed, lower case, without repeats; a list of short strings."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)):
        raise RuleViolation("tags must be a list of words.", fields={"tags": ["Give a list."]})
    tags = []
    for tag in value:
        if not isinstance(tag, str):
            raise RuleViolation("tags must be text.", fields={"tags": ["Each tag is text."]})
        tag = tag.strip().lower()
        if len(tag) > TAG_LENGTH:
            raise RuleViolation(f"A tag is at most {TAG_LENGTH} characters.", fields={"tags": ["Too long."]})
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise RuleViolation(f"At most {MAX_TAGS} tags.", fields={"tags": ["Too many."]})
    return tags


def to_hours(value, field: str, *, allow_zero: bool = True) -> Decimal | None:
    """Hours as a Decimal with at most 2 decimals, between 0 and 99999."""
    if value in (None, ""):
        return None
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise RuleViolation(f"{field} must be a number of hours such as 1.5.", fields={field: ["Not a number."]})
    if not hours.is_finite() or hours < 0 or (hours == 0 and not allow_zero) or hours >= 100000:
        low = "0" if allow_zero else "more than 0"
        raise RuleViolation(f"{field} must be {low} and below 100000.", fields={field: ["Out of range."]})
    if hours != hours.quantize(Decimal("0.01")):
        raise RuleViolation(f"{field} has at most 2 decimals.", fields={field: ["At most 2 decimals."]})
    return hours


def unknown_fields(fields: dict, allowed, what: str) -> None:
    """Refuse fields a service does not set, naming them."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise RuleViolation(f"Unknown {what} field(s): {', '.join(sorted(unknown))}.",
                            fields={name: ["Unknown field."] for name in sorted(unknown)})
