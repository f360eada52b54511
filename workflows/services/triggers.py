"""Triggers: a bus event that matches a trigger's topic, type and fields starts its workflow.

``on_committed_events`` is registered with ``core.events.add_listener`` and sees every batch of
committed events. A trigger fires at most once per cooldown, counted under a row lock, so two
matching events at once start one run. The workflows app's own run events never fire triggers
(a workflow starting itself would loop).
"""
import logging

from django.db import transaction
from django.utils import timezone

from accounts.roles import OPERATOR, require_role
from core import audit, topics
from core import events as bus
from core.errors import RuleViolation, check_fields

from .. import events
from ..models import Run, Trigger, Workflow
from .runs import start_workflow

log = logging.getLogger(__name__)
OWN_TOPICS = {"workflows", "workflow", "run", "agents"}


def _publish(trigger: Trigger, deleted: bool = False) -> None:
    bus.publish(f"workflow:{trigger.workflow_id}", events.TRIGGER_CHANGED, {
        "id": trigger.pk, "summary": trigger.name, "topic": trigger.topic, "event_type": trigger.event_type,
        "enabled": trigger.enabled, "deleted": deleted})


def _clean(topic, event_type, fields):
    try:
        name, _ = topics.parse(topic)
    except ValueError as exc:
        raise RuleViolation(str(exc), fields={"topic": [str(topic)]}) from exc
    if name in OWN_TOPICS:
        raise RuleViolation("A trigger listens to other apps' topics, not the workflows app's own.",
                            fields={"topic": [topic]})
    if not isinstance(fields, dict) or any(isinstance(v, (dict, list)) for v in fields.values()):
        raise RuleViolation("fields maps event data fields to plain values that must be equal.",
                            fields={"fields": ["Use an object of plain values."]})
    return topic, event_type or "", fields


@transaction.atomic
def create_trigger(actor, workflow: Workflow, *, name: str, topic: str, event_type: str = "", fields=None,
                   cooldown_seconds: int = 300, enabled: bool = True) -> Trigger:
    """An operator makes ``workflow`` start when a matching event is published."""
    require_role(actor, OPERATOR, "create triggers")
    topic, event_type, fields = _clean(topic, event_type, fields or {})
    trigger = Trigger(workflow=workflow, name=(name or "").strip(), topic=topic, event_type=event_type,
                      fields=fields, cooldown_seconds=cooldown_seconds, enabled=enabled)
    check_fields(trigger)
    trigger.save()
    audit.record(actor, "trigger.create", trigger, {"topic": [None, topic], "event_type": [None, event_type]})
    _publish(trigger)
    return trigger


@transaction.atomic
def update_trigger(actor, trigger: Trigger, **changes) -> Trigger:
    """An operator changes a trigger's filter, cooldown or whether it is on."""
    require_role(actor, OPERATOR, "change triggers")
    trigger = Trigger.objects.select_for_update().get(pk=trigger.pk)
    before = audit.snapshot(trigger, ["name", "topic", "event_type", "fields", "cooldown_seconds", "enabled"])
    for field, value in changes.items():
        setattr(trigger, field, value)
    trigger.topic, trigger.event_type, trigger.fields = _clean(trigger.topic, trigger.event_type, trigger.fields)
    check_fields(trigger)
    trigger.save()
    audit.record(actor, "trigger.update", trigger, audit.diff(before, trigger))
    _publish(trigger)
    return trigger


@transaction.atomic
def delete_trigger(actor, trigger: Trigger) -> None:
    """An operator removes a trigger."""
    require_role(actor, OPERATOR, "remove triggers")
    audit.record(actor, "trigger.delete", trigger)
    _publish(trigger, deleted=True)
    trigger.delete()


def matches(trigger: Trigger, topic: str, event_type: str, data: dict) -> bool:
    """Whether an event on ``topic`` of ``event_type`` with ``data`` is one ``trigger`` waits for."""
    if trigger.topic != topic or (trigger.event_type and trigger.event_type != event_type):
        return False
    return all(isinstance(data, dict) and data.get(key) == value for key, value in trigger.fields.items())


@transaction.atomic
def fire(trigger: Trigger, event_id: int, event_type: str) -> Run | None:
    """Start the trigger's workflow unless it fired within its cooldown or is off; returns the run."""
    trigger = Trigger.objects.select_for_update().select_related("workflow").get(pk=trigger.pk)
    now = timezone.now()
    cooling = trigger.last_fired_at and trigger.last_fired_at + timezone.timedelta(
        seconds=trigger.cooldown_seconds) > now
    if not trigger.enabled or cooling or not trigger.workflow.enabled:
        return None
    run = start_workflow(None, trigger.workflow, origin=Run.Origin.TRIGGER,
                         detail=f"{trigger.name}: {event_type} (event {event_id})")
    trigger.last_fired_at, trigger.fired_count = now, trigger.fired_count + 1
    trigger.save(update_fields=["last_fired_at", "fired_count", "updated_at"])
    audit.record(None, "trigger.fire", trigger, {"run": [None, run.pk]})
    bus.publish(f"workflow:{trigger.workflow_id}", events.TRIGGER_FIRED,
                {"trigger": trigger.pk, "run": run.pk, "summary": trigger.name, "event": event_id})
    return run


def on_committed_events(committed) -> None:
    """Bus listener: fire every enabled trigger that one of the committed events matches."""
    wanted = [event for event in committed if topics.parse(event.topic)[0] not in OWN_TOPICS]
    if not wanted:
        return
    candidates = list(Trigger.objects.filter(enabled=True, topic__in={event.topic for event in wanted}))
    for event in wanted:
        for trigger in candidates:
            if matches(trigger, event.topic, event.type, event.data):
                try:
                    fire(trigger, event.position, event.type)
                except Exception:  # noqa: BLE001 - one trigger's failure must not stop the others
                    log.exception("trigger %s could not start its workflow", trigger.pk)
