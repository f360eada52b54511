"""Workflows: create, change (a new version of the steps) and remove; schedules with django-celery-beat."""
import json
import re

from django.db import transaction

from accounts.roles import OPERATOR, require_role
from core import audit
from core import events as bus
from core.errors import Conflict, RuleViolation, check_fields

from .. import events
from ..models import Workflow

CAPABILITY = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")
STEP_KEYS = {"name", "capability", "parameters", "timeout_seconds", "retries", "backoff_seconds", "on_agent_lost"}
LIMITS = {"timeout_seconds": (1, 86400, 600), "retries": (0, 10, 0), "backoff_seconds": (1, 3600, 10)}
MAX_STEPS = 50


def clean_capability(value, where: str) -> str:
    """A capability name (lower-case letters, digits, ``_ . -``), or RuleViolation naming ``where``."""
    if not isinstance(value, str) or not CAPABILITY.match(value):
        raise RuleViolation(f"{where}: a capability is 1-60 lower-case letters, digits, '_', '.' or '-'.",
                            fields={"capability": [str(value)]})
    return value


def clean_steps(steps) -> list[dict]:
    """Check and complete a list of steps; every problem is reported with the step's number."""
    if not isinstance(steps, list) or not steps:
        raise RuleViolation("Give the workflow at least one step.", fields={"steps": ["Add at least one step."]})
    if len(steps) > MAX_STEPS:
        raise RuleViolation(f"A workflow has at most {MAX_STEPS} steps.", fields={"steps": ["Too many steps."]})
    cleaned = []
    for number, step in enumerate(steps, start=1):
        where = f"Step {number}"
        if not isinstance(step, dict):
            raise RuleViolation(f"{where} must be an object with a name and a capability.", fields={"steps": [where]})
        unknown = set(step) - STEP_KEYS
        if unknown:
            raise RuleViolation(f"{where} has unknown fields: {', '.join(sorted(unknown))}.",
                                fields={"steps": [where]})
        name = step.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 120:
            raise RuleViolation(f"{where} needs a name of 1-120 characters.", fields={"steps": [where]})
        parameters = step.get("parameters", {})
        if not isinstance(parameters, dict) or len(json.dumps(parameters)) > 10000:
            raise RuleViolation(f"{where}: parameters must be a JSON object under 10 000 characters.",
                                fields={"steps": [where]})
        item = {"name": name.strip(), "capability": clean_capability(step.get("capability"), where),
                "parameters": parameters}
        for key, (low, high, default) in LIMITS.items():
            value = step.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise RuleViolation(f"{where}: {key} must be a whole number from {low} to {high}.",
                                    fields={"steps": [where]})
            item[key] = value
        lost = step.get("on_agent_lost", "retry")
        if lost not in ("retry", "fail"):
            raise RuleViolation(f"{where}: on_agent_lost is 'retry' (back to pending) or 'fail'.",
                                fields={"steps": [where]})
        item["on_agent_lost"] = lost
        cleaned.append(item)
    return cleaned


def _publish(workflow: Workflow) -> None:
    bus.publish(f"workflow:{workflow.pk}", events.WORKFLOW_CHANGED,
                {"id": workflow.pk, "name": workflow.name, "version": workflow.version, "enabled": workflow.enabled})


@transaction.atomic
def create_workflow(actor, *, name: str, steps, description: str = "", enabled: bool = True,
                    priority: int = 0) -> Workflow:
    """An operator defines a workflow with its ordered steps."""
    require_role(actor, OPERATOR, "define workflows")
    workflow = Workflow(name=(name or "").strip(), description=description, steps=clean_steps(steps),
                        enabled=enabled, priority=priority, created_by=actor)
    check_fields(workflow)
    workflow.save()
    audit.record(actor, "workflow.create", workflow, {"name": [None, workflow.name], "steps": [None, len(steps)]})
    _publish(workflow)
    return workflow


@transaction.atomic
def update_workflow(actor, workflow: Workflow, **changes) -> Workflow:
    """An operator changes a workflow; new steps make a new version, runs under way keep theirs."""
    require_role(actor, OPERATOR, "change workflows")
    workflow = Workflow.objects.select_for_update().get(pk=workflow.pk)
    before = audit.snapshot(workflow, ["name", "description", "enabled", "priority", "version"])
    if "steps" in changes:
        steps = clean_steps(changes.pop("steps"))
        if steps != workflow.steps:
            workflow.steps = steps
            workflow.version += 1
    for field in ("name", "description", "enabled", "priority"):
        if field in changes:
            setattr(workflow, field, changes[field].strip() if field == "name" else changes[field])
    check_fields(workflow)
    workflow.save()
    audit.record(actor, "workflow.update", workflow, audit.diff(before, workflow))
    _publish(workflow)
    return workflow


@transaction.atomic
def delete_workflow(actor, workflow: Workflow) -> None:
    """An operator removes a workflow that never ran (runs keep their history)."""
    require_role(actor, OPERATOR, "remove workflows")
    workflow = Workflow.objects.select_for_update().get(pk=workflow.pk)
    if workflow.runs.exists():
        raise Conflict("This workflow has runs; disable it instead of removing it.")
    audit.record(actor, "workflow.delete", workflow)
    bus.publish(f"workflow:{workflow.pk}", events.WORKFLOW_DELETED, {"id": workflow.pk, "name": workflow.name})
    workflow.delete()


@transaction.atomic
def schedule_workflow(actor, workflow: Workflow, *, cron: str | None) -> str | None:
    """Start ``workflow`` on a cron schedule (``"m h dom mon dow"``) with django-celery-beat; None removes it."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    require_role(actor, OPERATOR, "schedule workflows")
    name = f"workflow-{workflow.pk}"
    if not cron:
        PeriodicTask.objects.filter(name=name).delete()
        audit.record(actor, "workflow.unschedule", workflow)
        return None
    parts = cron.split()
    if len(parts) != 5:
        raise RuleViolation("A schedule is five fields: minute hour day-of-month month day-of-week.",
                            fields={"cron": [cron]})
    schedule = CrontabSchedule(minute=parts[0], hour=parts[1], day_of_month=parts[2], month_of_year=parts[3],
                               day_of_week=parts[4], timezone="UTC")
    try:
        schedule.full_clean()
    except Exception as exc:  # noqa: BLE001 - django-celery-beat's validators say which field is wrong
        raise RuleViolation(f"That schedule is not valid: {exc}", fields={"cron": [cron]}) from exc
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute=parts[0], hour=parts[1], day_of_month=parts[2], month_of_year=parts[3], day_of_week=parts[4],
        timezone="UTC")
    PeriodicTask.objects.update_or_create(
        name=name, defaults={"task": "workflows.tasks.start_scheduled_run", "crontab": schedule,
                             "args": json.dumps([workflow.pk]), "enabled": True})
    audit.record(actor, "workflow.schedule", workflow, {"cron": [None, cron]})
    return cron
