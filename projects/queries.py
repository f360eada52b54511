"""Reads that are more than a filter: who sees which project, board columns, stats, workload."""
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.roles import OPERATOR, has_role
from core.errors import NotFound
from core.parsing import as_id

from .models import Project, ProjectMember, Task, Team, TeamMembership

OPEN_STATUSES = [Task.Status.TODO, Task.Status.IN_PROGRESS, Task.Status.REVIEW]


def visible_projects(user):
    """Projects ``user`` may see: operators and admins all; others those they own, are members of,
    or whose team they belong to. Everything under a project is reached through this."""
    qs = Project.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if has_role(user, OPERATOR):
        return qs
    member = ProjectMember.objects.filter(project=OuterRef("pk"), user=user)
    in_team = TeamMembership.objects.filter(team=OuterRef("team"), user=user)
    return qs.filter(Q(owner=user) | Exists(member) | Exists(in_team))


def get_project(user, project_id, *, queryset=None) -> Project:
    """The project if ``user`` may see it; NotFound (404) the same whether it is missing or hidden."""
    pk = as_id(project_id)
    qs = visible_projects(user) if queryset is None else queryset
    project = qs.filter(pk=pk).first() if pk else None
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    return project


def visible_teams(user):
    """Teams ``user`` may see: operators all, others the teams they are in."""
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    if has_role(user, OPERATOR):
        return Team.objects.all()
    return Team.objects.filter(Exists(TeamMembership.objects.filter(team=OuterRef("pk"), user=user)))


def teams_led_by(user):
    """Teams whose members ``user`` may edit: those they lead or administer (operators: all)."""
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    if has_role(user, OPERATOR):
        return Team.objects.all()
    return Team.objects.filter(memberships__user=user, memberships__role__in=[
        TeamMembership.Role.LEAD, TeamMembership.Role.ADMIN])


def is_project_member(user, project: Project) -> bool:
    """Whether ``user`` belongs to the project: owner, named member or member of its team."""
    if user is None or not getattr(user, "pk", None):
        return False
    if project.owner_id == user.pk:
        return True
    if ProjectMember.objects.filter(project=project, user=user).exists():
        return True
    return bool(project.team_id) and TeamMembership.objects.filter(team_id=project.team_id, user=user).exists()


def project_people(project: Project):
    """Everyone who belongs to the project (owner, named members, team members), as a user queryset."""
    from django.contrib.auth import get_user_model

    q = Q(pk=project.owner_id) | Q(project_memberships__project=project)
    if project.team_id:
        q |= Q(team_memberships__team_id=project.team_id)
    return get_user_model().objects.filter(q).distinct().order_by("username")


def _count_of(model, field: str):
    """A correlated ``COUNT`` of ``model`` rows pointing at the outer row through ``field``.

    A subquery runs for the rows of the page only; a joined ``Count`` would make PostgreSQL
    group every task of the project before it can take the first fifty.
    """
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")), Value(0))


def tasks_for_list():
    """Tasks with what a list row shows, in a fixed number of queries."""
    from .models import TaskComment

    return Task.objects.select_related("assignee", "project").annotate(
        subtask_count=_count_of(Task, "parent"), comment_count=_count_of(TaskComment, "task"))


def open_task_count():
    """Per project: how many of its tasks are open (an annotation for project lists)."""
    rows = (Task.objects.filter(project=OuterRef("pk"), status__in=OPEN_STATUSES).order_by().values("project")
            .annotate(n=Count("pk")))
    return Coalesce(Subquery(rows.values("n")), Value(0))


def my_tasks(user):
    """Open tasks assigned to ``user`` in projects they can still see, soonest due first."""
    return (tasks_for_list().filter(assignee=user, status__in=OPEN_STATUSES,
                                    project__in=visible_projects(user))
            .order_by(Coalesce("due_date", Value(timezone.localdate() + timedelta(days=36500))), "priority", "id"))


def project_stats(project: Project) -> dict:
    """Tasks by status, overdue tasks, estimated vs actual hours and material cost of the BOM."""
    today = timezone.localdate()
    by_status = dict(project.tasks.values_list("status").annotate(n=Count("id")).order_by())
    hours = project.tasks.exclude(status=Task.Status.CANCELLED).aggregate(
        estimated=Coalesce(Sum("estimated_hours"), Value(Decimal(0)), output_field=DecimalField()),
        actual=Coalesce(Sum("actual_hours"), Value(Decimal(0)), output_field=DecimalField()))
    overdue = project.tasks.filter(status__in=OPEN_STATUSES, due_date__lt=today).count()
    lines = project.bom_lines.select_related("material")
    cost = sum((line.required_quantity * line.material.cost_per_unit for line in lines), Decimal(0))
    total = sum(by_status.values())
    return {
        "project": project.pk,
        "tasks": {status: by_status.get(status, 0) for status in Task.Status.values},
        "total_tasks": total,
        "open_tasks": sum(by_status.get(s, 0) for s in OPEN_STATUSES),
        "overdue_tasks": overdue,
        "done_ratio": round(by_status.get(Task.Status.DONE, 0) / total, 3) if total else 0,
        "estimated_hours": _two(hours["estimated"]),
        "actual_hours": _two(hours["actual"]),
        "material_cost": str(cost.quantize(Decimal("0.01"))),
    }


def _two(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def requirements(project: Project) -> dict:
    """The BOM against the shelves: per line needed, allocated, still needed, free stock, shortage and cost.

    Lines short of stock come first, critical ones before the rest. Free stock is counted where
    the line takes it from (its location, or everywhere when it has none), in three queries.
    """
    from inventory.models import StockItem
    from inventory.services.common import plain

    lines = list(project.bom_lines.select_related("material"))
    material_ids = [line.material_id for line in lines]
    everywhere, at = {}, {}
    for item in StockItem.objects.filter(material_id__in=material_ids).only(
            "material_id", "location_id", "quantity", "allocated"):
        free = item.quantity - item.allocated
        everywhere[item.material_id] = everywhere.get(item.material_id, Decimal(0)) + free
        key = (item.material_id, item.location_id)
        at[key] = at.get(key, Decimal(0)) + free
    rows, total = [], Decimal(0)
    for line in lines:
        available = at.get((line.material_id, line.location_id), Decimal(0)) if line.location_id else \
            everywhere.get(line.material_id, Decimal(0))
        still = line.required_quantity - line.allocated_quantity
        short = max(Decimal(0), still - available)
        cost = (line.required_quantity * line.material.cost_per_unit).quantize(Decimal("0.01"))
        total += cost
        rows.append({
            "line": line.pk, "material": line.material_id, "sku": line.material.sku, "name": line.material.name,
            "unit": line.material.unit, "critical": line.critical, "location": line.location_id,
            "required": plain(line.required_quantity), "allocated": plain(line.allocated_quantity),
            "still_needed": plain(still), "available": plain(available), "shortage": plain(short),
            "cost_per_unit": str(line.material.cost_per_unit), "cost": str(cost), "_short": short > 0,
        })
    rows.sort(key=lambda row: (not (row["critical"] and row["_short"]), not row["_short"], row["line"]))
    for row in rows:
        row.pop("_short")
        row["material_name"] = row.pop("name")
    return {
        "project": project.pk, "lines": rows, "total_cost": str(total.quantize(Decimal("0.01"))),
        "shortages": sum(1 for row in rows if row["shortage"] != "0"),
        "critical_shortages": sum(1 for row in rows if row["critical"] and row["shortage"] != "0"),
    }


def team_workload(team: Team) -> list[dict]:
    """Per member of the team: open tasks in the team's projects and estimated hours of those due this week."""
    today = timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    members = list(team.memberships.select_related("user").order_by("user__username"))
    rows = (Task.objects.filter(project__team=team, status__in=OPEN_STATUSES, assignee__isnull=False)
            .values("assignee").order_by()
            .annotate(open_tasks=Count("id"),
                      due_this_week=Coalesce(Sum("estimated_hours", filter=Q(due_date__lte=week_end)),
                                             Value(Decimal(0)), output_field=DecimalField())))
    by_user = {row["assignee"]: row for row in rows}
    return [{"user": m.user_id, "username": m.user.username, "role": m.role,
             "open_tasks": by_user.get(m.user_id, {}).get("open_tasks", 0),
             "estimated_hours_due_this_week": _two(by_user.get(m.user_id, {}).get("due_this_week", 0))}
            for m in members]
