"""Projects: create, change, archive, restore, duplicate, and who is on them."""
from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.roles import MEMBER, OPERATOR, has_role, require_role
from core import audit, events
from core.errors import Conflict, NotFound, RuleViolation, check_fields

from .. import events as types
from ..models import BomLine, Project, ProjectMember, Task, Team, TeamMembership
from .common import clean_tags, lock_project, require_manager, topics, unknown_fields

PROJECT_FIELDS = ["name", "description", "team", "status", "start_date", "due_date", "tags"]


def project_data(project: Project) -> dict:
    """A project as its events carry it."""
    return {"project": project.pk, "name": project.name, "status": project.status, "owner": project.owner_id,
            "team": project.team_id}


def _check_team(actor, team):
    """A project may be shared with a team its creator belongs to (operators: any team)."""
    if team is None:
        return None
    if not isinstance(team, Team):
        team = Team.objects.filter(pk=team).first()
        if team is None:
            raise RuleViolation("There is no such team.", fields={"team": ["Unknown team."]})
    if not has_role(actor, OPERATOR) and not TeamMembership.objects.filter(team=team, user=actor).exists():
        raise RuleViolation("You are not in that team: share the project with a team you belong to.",
                            fields={"team": ["Not your team."]})
    return team


def _clean(actor, fields: dict) -> dict:
    unknown_fields(fields, PROJECT_FIELDS, "project")
    fields = dict(fields)
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise RuleViolation("Give the project a name.", fields={"name": ["Required."]})
    if "tags" in fields:
        fields["tags"] = clean_tags(fields["tags"])
    if "team" in fields:
        fields["team"] = _check_team(actor, fields["team"])
    if fields.get("status") == Project.Status.ARCHIVED:
        raise RuleViolation("Archive a project with the archive action, not by setting its status.",
                            fields={"status": ["Use archive."]})
    return fields


def _check_dates(project: Project) -> None:
    if project.start_date and project.due_date and project.due_date < project.start_date:
        raise RuleViolation("The due date must not be before the start date.", fields={"due_date": ["Before start."]})


@transaction.atomic
def create_project(actor, **fields) -> Project:
    """Start a project (members and above); the creator owns it."""
    require_role(actor, MEMBER, "create projects")
    fields = _clean(actor, fields)
    if not fields.get("name"):
        raise RuleViolation("Give the project a name.", fields={"name": ["Required."]})
    project = Project(owner=actor, **fields)
    _check_dates(project)
    check_fields(project)
    project.save()
    audit.record(actor, "project.create", project, {k: [None, audit.plain(v)] for k, v in fields.items()})
    events.publish(topics(project), types.PROJECT_CREATED, project_data(project))
    return project


@transaction.atomic
def update_project(actor, project: Project, **fields) -> Project:
    """Change a project's name, description, team, status or dates (owner, team leads, operators)."""
    project = lock_project(actor, project)
    require_manager(actor, project, "change the project")
    if project.status == Project.Status.ARCHIVED:
        raise Conflict(f"Project '{project.name}' is archived: restore it before you change it.", code="archived")
    fields = _clean(actor, fields)
    before = audit.snapshot(project, fields)
    for name, value in fields.items():
        setattr(project, name, value)
    _check_dates(project)
    check_fields(project)
    project.save()
    changes = audit.diff(before, project)
    if changes:
        audit.record(actor, "project.update", project, changes)
        events.publish(topics(project), types.PROJECT_UPDATED, {**project_data(project), "changes": changes})
    return project


@transaction.atomic
def archive_project(actor, project: Project) -> Project:
    """Archive a project: it stays visible but nothing in it changes until it is restored."""
    project = lock_project(actor, project)
    require_manager(actor, project, "archive the project")
    if project.status == Project.Status.ARCHIVED:
        raise Conflict(f"Project '{project.name}' is archived already.", code="archived")
    project.status_before_archive, project.status = project.status, Project.Status.ARCHIVED
    project.save(update_fields=["status", "status_before_archive", "updated_at"])
    audit.record(actor, "project.archive", project, {"status": [project.status_before_archive, project.status]})
    events.publish(topics(project), types.PROJECT_ARCHIVED, project_data(project))
    return project


@transaction.atomic
def restore_project(actor, project: Project) -> Project:
    """Bring an archived project back with the status it had before."""
    project = lock_project(actor, project)
    require_manager(actor, project, "restore the project")
    if project.status != Project.Status.ARCHIVED:
        raise Conflict(f"Project '{project.name}' is not archived.", code="not_archived")
    project.status = project.status_before_archive or Project.Status.ACTIVE
    project.status_before_archive = ""
    project.save(update_fields=["status", "status_before_archive", "updated_at"])
    audit.record(actor, "project.restore", project, {"status": [Project.Status.ARCHIVED, project.status]})
    events.publish(topics(project), types.PROJECT_RESTORED, project_data(project))
    return project


@transaction.atomic
def duplicate_project(actor, project: Project, *, name: str = "") -> Project:
    """Copy a project with its tasks (same columns and order) and BOM (nothing allocated).

    Files are not copied: their history belongs to the original.
    """
    original = lock_project(actor, project)
    require_role(actor, MEMBER, "duplicate projects")
    copy = Project(owner=actor, name=(name or f"{original.name} (copy)").strip()[:150],
                   description=original.description, team=original.team if original.team_id and (
                       has_role(actor, OPERATOR) or TeamMembership.objects.filter(team_id=original.team_id,
                                                                                  user=actor).exists()) else None,
                   start_date=original.start_date, due_date=original.due_date, tags=list(original.tags))
    check_fields(copy)
    copy.save()
    tasks = list(original.tasks.order_by("status", "position"))
    clones, by_old = [], {}
    people = set(original.members.values_list("user_id", flat=True)) | {original.owner_id}
    for task in tasks:
        clone = Task(project=copy, title=task.title, description=task.description, status=task.status,
                     priority=task.priority, position=task.position, due_date=task.due_date,
                     estimated_hours=task.estimated_hours, tags=list(task.tags), created_by=actor,
                     assignee_id=task.assignee_id if task.assignee_id in people else None,
                     completed_at=task.completed_at)
        clones.append(clone)
        by_old[task.pk] = clone
    Task.objects.bulk_create(clones)
    parents = []
    for task in tasks:
        if task.parent_id and task.parent_id in by_old:
            by_old[task.pk].parent = by_old[task.parent_id]
            parents.append(by_old[task.pk])
    Task.objects.bulk_update(parents, ["parent"])
    BomLine.objects.bulk_create([BomLine(project=copy, material_id=line.material_id, location_id=line.location_id,
                                         required_quantity=line.required_quantity, critical=line.critical,
                                         notes=line.notes) for line in original.bom_lines.all()])
    ProjectMember.objects.bulk_create([ProjectMember(project=copy, user_id=pk) for pk in people if pk != actor.pk])
    audit.record(actor, "project.duplicate", copy, {"copied_from": [None, original.pk], "tasks": [None, len(tasks)]})
    events.publish(topics(copy), types.PROJECT_CREATED, project_data(copy))
    events.publish(topics(original), types.PROJECT_DUPLICATED, {**project_data(original), "copy": copy.pk})
    return copy


@transaction.atomic
def add_member(actor, project: Project, user) -> ProjectMember:
    """Put a person on the project by name (owner, team leads, operators)."""
    project = lock_project(actor, project)
    require_manager(actor, project, "add people to the project")
    user = _user(user)
    if user.pk == project.owner_id or ProjectMember.objects.filter(project=project, user=user).exists():
        raise Conflict(f"{user} is on the project already.", fields={"user": ["Already a member."]})
    member = ProjectMember.objects.create(project=project, user=user)
    audit.record(actor, "project.add_member", project, {"member": [None, user.get_username()]})
    events.publish(topics(project), types.MEMBER_ADDED, {"project": project.pk, "user": user.pk})
    return member


@transaction.atomic
def remove_member(actor, project: Project, user) -> None:
    """Take a person off the project; their open tasks lose their assignee."""
    project = lock_project(actor, project)
    require_manager(actor, project, "remove people from the project")
    user = _user(user)
    deleted, _ = ProjectMember.objects.filter(project=project, user=user).delete()
    if not deleted:
        raise NotFound(f"{user} is not a named member of the project.")
    from ..queries import is_project_member

    if not is_project_member(user, project):
        project.tasks.filter(assignee=user).update(assignee=None)
    audit.record(actor, "project.remove_member", project, {"member": [user.get_username(), None]})
    events.publish(topics(project), types.MEMBER_REMOVED, {"project": project.pk, "user": user.pk})


def _user(user):
    if isinstance(user, get_user_model()):
        return user
    found = get_user_model().objects.filter(pk=user).first() if str(user).isdigit() else None
    if found is None:
        raise RuleViolation("There is no such user.", fields={"user": ["Unknown user."]})
    return found
