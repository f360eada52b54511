"""Safety: thresholds on readings and a watchdog raise events that operators acknowledge and resolve.

A critical or emergency event stops the machine (its emergency stop is queued first).
"""
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.roles import OPERATOR, require_role
from core import audit, events
from core.errors import Conflict, NotFound
from core.parsing import as_id

from .. import states
from ..events import SAFETY_CHANGED, SAFETY_RAISED
from ..models import Job, Machine, SafetyEvent
from .common import machine_topics

# How far past a heater's limit a reading may go before it is an emergency (°C).
OVERSHOOT = 15


def _data(event: SafetyEvent) -> dict:
    return {"machine": event.machine_id, "event": event.pk, "level": event.level, "kind": event.kind,
            "message": event.message, "status": event.status}


def raise_safety_event(machine: Machine, level: str, kind: str, message: str, data=None) -> SafetyEvent:
    """Record a safety event (once while an open one of the same kind exists); critical ones stop the machine."""
    open_same = SafetyEvent.objects.filter(machine=machine, kind=kind,
                                           status=SafetyEvent.Status.OPEN).first()
    if open_same is not None:
        return open_same
    event = SafetyEvent.objects.create(machine=machine, level=level, kind=kind, message=message[:300],
                                       data=data or {})
    events.publish(machine_topics(machine.pk), SAFETY_RAISED, _data(event))
    if level in (SafetyEvent.Level.CRITICAL, SafetyEvent.Level.EMERGENCY) and machine.state != states.DISCONNECTED:
        from .control import _stop

        _stop(None, Machine.objects.select_for_update().get(pk=machine.pk), f"Safety: {message}")
    return event


def check_thresholds(machine: Machine, reading: dict) -> list[SafetyEvent]:
    """Compare one reading with the machine's heater limits: warning at the limit, emergency well past it."""
    raised = []
    for heater, limit in (("hotend", machine.max_hotend), ("bed", machine.max_bed)):
        actual = (reading.get(heater) or {}).get("actual") if isinstance(reading.get(heater), dict) else None
        if not isinstance(actual, (int, float)):
            continue
        if actual > limit + OVERSHOOT:
            raised.append(raise_safety_event(machine, SafetyEvent.Level.EMERGENCY, f"{heater}_overheat",
                                             f"{heater} at {actual:.1f} °C, past its limit of {limit} °C.",
                                             {"actual": actual, "limit": limit}))
        elif actual > limit:
            raised.append(raise_safety_event(machine, SafetyEvent.Level.WARNING, f"{heater}_over_limit",
                                             f"{heater} at {actual:.1f} °C, above its limit of {limit} °C.",
                                             {"actual": actual, "limit": limit}))
    return raised


@transaction.atomic
def watchdog(now=None) -> list[SafetyEvent]:
    """Raise a critical event for every machine running a job whose telemetry went silent too long."""
    now = now or timezone.now()
    silent_since = now - timedelta(seconds=settings.EQUIPMENT_WATCHDOG_SECONDS)
    silent_ids = set(Machine.objects.filter(
        jobs__status=Job.Status.RUNNING, state__in=[states.PRINTING, states.PREPARING, states.RESUMING],
    ).exclude(last_seen_at__gte=silent_since).values_list("pk", flat=True))
    # Locked one by one after the search: PostgreSQL locks no rows of a DISTINCT query.
    running = Machine.objects.select_for_update().filter(pk__in=silent_ids).order_by("pk")
    return [raise_safety_event(machine, SafetyEvent.Level.CRITICAL, "watchdog",
                               f"No telemetry from {machine.name} for {settings.EQUIPMENT_WATCHDOG_SECONDS} s "
                               "while a job runs.")
            for machine in running]


def _lock_event(event) -> SafetyEvent:
    event_id = as_id(getattr(event, "pk", event))
    found = SafetyEvent.objects.select_for_update().filter(pk=event_id).first() if event_id else None
    if found is None:
        raise NotFound(f"There is no safety event {event}.")
    return found


@transaction.atomic
def acknowledge_safety_event(actor, event) -> SafetyEvent:
    """An operator has seen the event and is dealing with it."""
    require_role(actor, OPERATOR, "acknowledge safety events")
    event = _lock_event(event)
    if event.status != SafetyEvent.Status.OPEN:
        raise Conflict(f"This event is already {event.status}.", code="bad_status")
    event.status, event.acknowledged_by, event.acknowledged_at = SafetyEvent.Status.ACKNOWLEDGED, actor, timezone.now()
    event.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "updated_at"])
    audit.record(actor, "safety.acknowledge", event)
    events.publish(machine_topics(event.machine_id), SAFETY_CHANGED, _data(event))
    return event


@transaction.atomic
def resolve_safety_event(actor, event) -> SafetyEvent:
    """An operator dealt with the cause; the event is closed."""
    require_role(actor, OPERATOR, "resolve safety events")
    event = _lock_event(event)
    if event.status == SafetyEvent.Status.RESOLVED:
        raise Conflict("This event is already resolved.", code="bad_status")
    now = timezone.now()
    if event.acknowledged_at is None:
        event.acknowledged_by, event.acknowledged_at = actor, now
    event.status, event.resolved_by, event.resolved_at = SafetyEvent.Status.RESOLVED, actor, now
    event.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "resolved_by", "resolved_at",
                              "updated_at"])
    audit.record(actor, "safety.resolve", event)
    events.publish(machine_topics(event.machine_id), SAFETY_CHANGED, _data(event))
    return event
