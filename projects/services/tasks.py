"""Tasks: add, change, move on the board, assign, delete, and change many at once."""
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import audit, events
from core.errors import DomainError, NotFound, RuleViolation, check_fields
from core.parsing import as_id

from .. import events as types
from ..models import Task
from ..queries import is_project_member
from .common import clean_tags, lock_project, require_worker, to_hours, topics, unknown_fields

TASK_FIELDS = ["title", "description", "status", "priority", "parent", "assignee", "due_date", "estimated_hours",
               "tags"]
BULK_FIELDS = ["status", "priority", "assignee", "due_date", "tags"]


def task_data(task: Task) -> dict:
    """A task as the board and its events show it."""
    return {
        "id": task.pk, "project": task.project_id, "title": task.title, "status": task.status,
        "priority": task.priority, "position": task.position, "assignee": task.assignee_id,
        "assignee_name": str(task.assignee) if task.assignee_id else "", "parent": task.parent_id,
        "due_date": task.due_date, "tags": task.tags,
        "completed_at": task.completed_at,
    }


def _locked_task(actor, task) -> tuple:
    """The project locked (404 when hidden), then the task re-read inside it."""
    task_id = task.pk if isinstance(task, Task) else as_id(task)
    project_id = task.project_id if isinstance(task, Task) else Task.objects.filter(pk=task_id).values_list(
        "project_id", flat=True).first()
    if project_id is None:
        raise NotFound(f"There is no task {task_id}.")
    project = lock_project(actor, project_id)
    found = Task.objects.select_related("assignee").filter(pk=task_id, project=project).first()
    if found is None:
        raise NotFound(f"There is no task {task_id}.")
    return project, found


def _status(value) -> str:
    if value not in Task.Status.values:
        raise RuleViolation(f"status must be one of {', '.join(Task.Status.values)}.",
                            fields={"status": ["Unknown status."]})
    return value


def _clean(project, fields: dict, task: Task | None = None) -> dict:
    """Check task fields against the project: assignee a member, parent in the project without a cycle."""
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise RuleViolation("Give the task a title.", fields={"title": ["Required."]})
    if "status" in fields:
        _status(fields["status"])
    if "priority" in fields and fields["priority"] not in Task.Priority.values:
        raise RuleViolation(f"priority must be one of {', '.join(Task.Priority.values)}.",
                            fields={"priority": ["Unknown priority."]})
    if "tags" in fields:
        fields["tags"] = clean_tags(fields["tags"])
    if "estimated_hours" in fields:
        fields["estimated_hours"] = to_hours(fields["estimated_hours"], "estimated_hours")
    if fields.get("assignee") is not None:
        assignee = fields["assignee"]
        if not is_project_member(assignee, project):
            raise RuleViolation(f"{assignee} is not on project '{project.name}': add them before assigning.",
                                fields={"assignee": ["Not a project member."]})
    if fields.get("parent") is not None:
        fields["parent"] = _check_parent(project, fields["parent"], task)
    return fields


def _check_parent(project, parent, task: Task | None) -> Task:
    """A parent is a task of the same project that is not the task itself or one of its subtasks."""
    parent_id = parent.pk if isinstance(parent, Task) else as_id(parent)
    parent = Task.objects.filter(pk=parent_id, project=project).first()
    if parent is None:
        raise RuleViolation("The parent must be a task of the same project.", fields={"parent": ["Not in project."]})
    if task is not None:
        seen, node = set(), parent
        while node is not None and node.pk not in seen:
            if node.pk == task.pk:
                raise RuleViolation("A task cannot be under itself or one of its own subtasks.",
                                    fields={"parent": ["Would make a cycle."]})
            seen.add(node.pk)
            node = Task.objects.filter(pk=node.parent_id).first() if node.parent_id else None
    return parent


def _column(project, status):
    return Task.objects.filter(project=project, status=status)


def _stamp(task: Task) -> None:
    """Entering done stamps ``completed_at``; leaving done clears it."""
    if task.status == Task.Status.DONE and task.completed_at is None:
        task.completed_at = timezone.now()
    elif task.status != Task.Status.DONE:
        task.completed_at = None


@transaction.atomic
def create_task(actor, project, **fields) -> Task:
    """Add a task at the bottom of its column (project members with the member role or above)."""
    project = lock_project(actor, project)
    require_worker(actor, project, "add tasks")
    unknown_fields(fields, TASK_FIELDS, "task")
    fields = _clean(project, fields)
    if not fields.get("title"):
        raise RuleViolation("Give the task a title.", fields={"title": ["Required."]})
    fields.setdefault("status", Task.Status.TODO)
    task = Task(project=project, created_by=actor, **fields)
    task.position = _column(project, task.status).count()
    _stamp(task)
    check_fields(task, exclude=["project", "parent", "assignee", "created_by"])
    task.save()
    audit.record(actor, "task.create", task, {k: [None, audit.plain(v)] for k, v in fields.items()})
    events.publish(topics(project), types.TASK_CREATED, {"project": project.pk, "task": task_data(task)})
    return task


@transaction.atomic
def update_task(actor, task: Task, **fields) -> Task:
    """Change a task's fields; a new status moves the card to the bottom of that column."""
    project, task = _locked_task(actor, task)
    require_worker(actor, project, "change tasks")
    unknown_fields(fields, TASK_FIELDS, "task")
    fields = _clean(project, fields, task)
    status = fields.pop("status", task.status)
    before = audit.snapshot(task, fields)
    for name, value in fields.items():
        setattr(task, name, value)
    check_fields(task, exclude=["project", "parent", "assignee", "created_by"])
    task.save()
    changes = audit.diff(before, task)
    if status != task.status:
        task = _move(actor, project, task, status, _column(project, status).count())
    if changes:
        audit.record(actor, "task.update", task, changes)
        events.publish(topics(project), types.TASK_UPDATED, {"project": project.pk, "task": task_data(task),
                                                             "changes": changes})
    return task


@transaction.atomic
def move_task(actor, task: Task, status: str, position) -> Task:
    """Put a card at ``position`` (0 = top) of column ``status``, keeping both columns 0..n-1.

    The project row is locked first, so concurrent moves in one project happen one after the
    other; a position past the end puts the card last.
    """
    project, task = _locked_task(actor, task)
    require_worker(actor, project, "move tasks")
    _status(status)
    try:
        position = int(position)
    except (TypeError, ValueError):
        raise RuleViolation("position must be a whole number (0 is the top).", fields={"position": ["Not a number."]})
    if position < 0:
        raise RuleViolation("position must be 0 or more.", fields={"position": ["Negative."]})
    return _move(actor, project, task, status, position)


def _move(actor, project, task: Task, status: str, position: int) -> Task:
    old_status, old_position = task.status, task.position
    if status == old_status:
        position = min(position, _column(project, status).count() - 1)
        if position == old_position:
            return task
        if position > old_position:
            _column(project, status).filter(position__gt=old_position, position__lte=position).update(
                position=F("position") - 1)
        else:
            _column(project, status).filter(position__gte=position, position__lt=old_position).update(
                position=F("position") + 1)
    else:
        position = min(position, _column(project, status).count())
        _column(project, old_status).filter(position__gt=old_position).update(position=F("position") - 1)
        _column(project, status).filter(position__gte=position).update(position=F("position") + 1)
    task.status, task.position = status, position
    _stamp(task)
    task.save(update_fields=["status", "position", "completed_at", "updated_at"])
    changes = {"status": [old_status, status], "position": [old_position, position]}
    audit.record(actor, "task.move", task, changes)
    events.publish(topics(project), types.TASK_MOVED, {
        "project": project.pk, "task": task_data(task), "status": status, "position": position,
        "from_status": old_status, "from_position": old_position})
    return task


@transaction.atomic
def assign_task(actor, task: Task, assignee) -> Task:
    """Give a task to a project member, or to nobody (``None``)."""
    return update_task(actor, task, assignee=assignee)


@transaction.atomic
def delete_task(actor, task: Task) -> None:
    """Remove a task and its subtasks; the cards below them move up."""
    project, task = _locked_task(actor, task)
    require_worker(actor, project, "delete tasks")
    doomed = _subtree(task)
    statuses = set(Task.objects.filter(pk__in=doomed).values_list("status", flat=True))
    audit.record(actor, "task.delete", task, {"title": [task.title, None], "subtasks": [len(doomed) - 1, None]})
    Task.objects.filter(pk__in=doomed).delete()
    renumber(project, statuses)
    events.publish(topics(project), types.TASK_DELETED, {"project": project.pk, "task": task.pk,
                                                         "removed": sorted(doomed)})


def _subtree(task: Task) -> set[int]:
    ids, frontier = {task.pk}, [task.pk]
    while frontier:
        frontier = list(Task.objects.filter(parent_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


def renumber(project, statuses) -> None:
    """Close gaps in the given columns (after deletions): positions 0..n-1 in their current order."""
    for status in statuses:
        rows = list(_column(project, status).order_by("position", "id").only("pk", "position"))
        changed = [row for index, row in enumerate(rows) if row.position != index]
        for index, row in enumerate(rows):
            row.position = index
        Task.objects.bulk_update(changed, ["position"])


def bulk_update_tasks(actor, project, task_ids, **fields) -> list[dict]:
    """Apply the same change to many tasks; each task answers for itself (``ok`` or its error).

    Each task is changed in a transaction of its own, so one refusal leaves the others done.
    """
    unknown_fields(fields, BULK_FIELDS, "bulk update")
    if not fields:
        raise RuleViolation("Say what to change: one of " + ", ".join(BULK_FIELDS) + ".",
                            fields={"fields": ["Nothing to change."]})
    results = []
    for task_id in task_ids:
        try:
            task = Task.objects.filter(pk=as_id(task_id), project_id=project.pk).first()
            if task is None:
                raise NotFound(f"There is no task {task_id} in this project.")
            update_task(actor, task, **fields)
            results.append({"task": task.pk, "ok": True})
        except DomainError as exc:
            results.append({"task": task_id, "ok": False, "status": exc.status_code, **exc.as_dict()})
    return results
