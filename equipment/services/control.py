"""Who may drive a machine, and the commands that reach it through the gateway's queue.

A command or job is refused unless the user is an operator or holds a confirmed
booking of the machine's bookable device that covers this moment (as owner or
collaborator). The booking is read from the scheduler's tables, never changed.
"""
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.roles import MEMBER, OPERATOR, has_role, require_role
from core import audit, events
from core.errors import Conflict, PermissionDenied, RuleViolation
from scheduler.models import Booking

from .. import states
from ..events import COMMAND_QUEUED, EMERGENCY_STOP
from ..models import Command, Job, Machine, SafetyEvent
from .common import lock_machine, machine_data, machine_topics, move
from .endings import fail_locked_job

COMMANDS = {"home", "jog", "set_temperature", "fan", "gcode", "emergency_stop"}
HEATERS = {"hotend": "max_hotend", "bed": "max_bed"}


def current_booking(user, machine: Machine, now=None) -> Booking | None:
    """The user's confirmed booking of the machine's device that covers ``now``, if any."""
    if machine.device_id is None or not getattr(user, "is_authenticated", False):
        return None
    now = now or timezone.now()
    return (Booking.objects.filter(device_id=machine.device_id, status=Booking.Status.CONFIRMED,
                                   start__lte=now, end__gt=now)
            .filter(Q(user=user) | Q(collaborators=user)).order_by("start").first())


def refusal(user, machine: Machine) -> str:
    """Why ``user`` may not drive ``machine`` right now ('' when they may)."""
    if has_role(user, OPERATOR):
        return ""
    if not has_role(user, MEMBER):
        return "Only members with a booking, or operators, may drive machines."
    if machine.device_id is None:
        return f"{machine.name} has no bookable device, so only operators may drive it."
    if current_booking(user, machine) is None:
        return f"You hold no confirmed booking of {machine.name} right now; book it, or ask an operator."
    return ""


def require_driver(user, machine: Machine) -> Booking | None:
    """Raise PermissionDenied (403, with the reason) unless ``user`` may drive ``machine``; their booking if any."""
    reason = refusal(user, machine)
    if reason:
        raise PermissionDenied(reason, code="not_booked")
    return current_booking(user, machine)


def queue(actor, machine: Machine, name: str, **arguments) -> Command:
    """Put one command in the gateway's queue and announce it (inside the caller's transaction)."""
    command = Command.objects.create(machine=machine, user=actor if getattr(actor, "pk", None) else None,
                                     name=name, arguments=arguments)
    events.publish(machine_topics(machine.pk), COMMAND_QUEUED,
                   machine_data(machine, command=command.pk, name=name, arguments=arguments))
    return command


def _number(value, field: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleViolation(f"{field} must be a number.", fields={field: ["A number."]})
    if not low <= value <= high:
        raise RuleViolation(f"{field} must be between {low:g} and {high:g}.", fields={field: [f"{low:g}–{high:g}"]})
    return value


def _arguments(machine: Machine, name: str, given: dict) -> dict:
    """Check a command's arguments against the machine's limits; the clean arguments."""
    if name == "set_temperature":
        heater = given.get("heater")
        if heater not in HEATERS:
            raise RuleViolation("heater must be hotend or bed.", fields={"heater": ["hotend or bed"]})
        limit = getattr(machine, HEATERS[heater])
        target = given.get("target")
        if isinstance(target, (int, float)) and not isinstance(target, bool) and target > limit:
            raise RuleViolation(f"{machine.name} allows at most {limit} °C on the {heater}.",
                                code="over_limit", fields={"target": [f"At most {limit}."]})
        return {"heater": heater, "target": _number(target, "target", 0, limit)}
    if name == "jog":
        moves = {axis: given[axis] for axis in ("x", "y", "z") if axis in given}
        if not moves:
            raise RuleViolation("A jog needs at least one of x, y, z (mm).", fields={"x": ["Give a distance."]})
        for axis, value in moves.items():
            span = float((machine.travel or {}).get(axis, 1000))
            _number(value, axis, -span, span)
        feed = _number(given.get("feed", 3000), "feed", 1, 20000)
        return {**moves, "feed": feed}
    if name == "fan":
        return {"speed": _number(given.get("speed"), "speed", 0, 100)}
    if name == "gcode":
        text = given.get("gcode")
        if not isinstance(text, str) or not text.strip() or len(text) > 2000:
            raise RuleViolation("gcode must be one or more G-code lines (at most 2000 characters).",
                                fields={"gcode": ["G-code text."]})
        return {"gcode": text.strip()}
    return {}


@transaction.atomic
def send_command(actor, machine, name: str, **given) -> Command:
    """Queue a command for a machine: home, jog, set_temperature, fan, gcode (operators) or emergency_stop."""
    if name not in COMMANDS:
        raise RuleViolation(f"Unknown command {name!r}: use one of {', '.join(sorted(COMMANDS))}.",
                            fields={"command": ["Unknown command."]})
    if name == "emergency_stop":
        return emergency_stop(actor, machine)
    machine = lock_machine(machine)
    require_driver(actor, machine)
    if name == "gcode":
        require_role(actor, OPERATOR, "send raw G-code")
    arguments = _arguments(machine, name, given)
    if machine.state not in states.ONLINE:
        raise Conflict(f"{machine.name} is {machine.state}; connect it first.", code="offline", state=machine.state)
    if name in ("home", "jog") and machine.state in states.BUSY:
        raise Conflict(f"{machine.name} is {machine.state}; it cannot move by hand during a job.", code="busy")
    command = queue(actor, machine, name, **arguments)
    audit.record(actor, f"machine.{name}", machine, {"arguments": [None, arguments]})
    return command


@transaction.atomic
def connect_machine(actor, machine) -> Command:
    """Ask the gateway to open the machine's connection."""
    machine = lock_machine(machine)
    require_driver(actor, machine)
    if not machine.enabled:
        raise Conflict(f"{machine.name} is disabled; an operator enables it first.")
    if machine.state == states.MAINTENANCE:
        raise Conflict(f"{machine.name} is in maintenance.", code="maintenance")
    if machine.state in states.ONLINE:
        raise Conflict(f"{machine.name} is already connected ({machine.state}).", code="connected")
    command = queue(actor, machine, "connect")
    audit.record(actor, "machine.connect", machine)
    return command


@transaction.atomic
def disconnect_machine(actor, machine) -> Command:
    """Ask the gateway to close the machine's connection; not while a job is running."""
    machine = lock_machine(machine)
    require_driver(actor, machine)
    if machine.jobs.filter(status__in=[Job.Status.RUNNING, Job.Status.PAUSED]).exists():
        raise Conflict(f"{machine.name} is running a job; cancel it first.", code="busy")
    command = queue(actor, machine, "disconnect")
    audit.record(actor, "machine.disconnect", machine)
    return command


def _stop(actor, machine: Machine, reason: str) -> Command:
    """Stop one locked machine: queue the stop first in line, fail its job (hours logged), raise an emergency event."""
    command = queue(actor, machine, "emergency_stop")
    for job in machine.jobs.select_for_update().filter(status__in=Job.ACTIVE):
        fail_locked_job(job, reason, actor)
    move(machine, states.ERROR, reason) if machine.state != states.DISCONNECTED else None
    SafetyEvent.objects.create(machine=machine, level=SafetyEvent.Level.EMERGENCY, kind="emergency_stop",
                               message=reason[:300], data={"by": getattr(actor, "pk", None)})
    audit.record(actor, "machine.emergency_stop", machine, {"reason": [None, reason]})
    events.publish(machine_topics(machine.pk), EMERGENCY_STOP, machine_data(machine, reason=reason))
    return command


@transaction.atomic
def emergency_stop(actor, machine, reason: str = "") -> Command:
    """Stop one machine at once (M112 or its driver's equivalent), for anyone who may drive it."""
    machine = lock_machine(machine)
    require_driver(actor, machine)
    who = getattr(actor, "username", None) or "the system"
    return _stop(actor, machine, reason or f"Emergency stop by {who}.")


@transaction.atomic
def emergency_stop_all(actor, reason: str = "") -> list[Command]:
    """Stop every connected machine at once (operators)."""
    require_role(actor, OPERATOR, "stop every machine")
    who = getattr(actor, "username", None) or "the system"
    machines = Machine.objects.select_for_update().exclude(state__in=[states.DISCONNECTED, states.MAINTENANCE])
    return [_stop(actor, machine, reason or f"Emergency stop of all machines by {who}.") for machine in machines]


@transaction.atomic
def set_maintenance(actor, machine, on: bool, reason: str = "") -> Machine:
    """Take a machine out of service for maintenance (the gateway lets go of it), or bring it back (operators)."""
    require_role(actor, OPERATOR, "put machines into maintenance")
    machine = lock_machine(machine)
    if on:
        if machine.jobs.filter(status__in=Job.ACTIVE).exists():
            raise Conflict(f"{machine.name} has a job in progress; cancel it first.", code="busy")
        if machine.state not in states.READY and machine.state not in (states.DISCONNECTED, states.ERROR):
            raise Conflict(f"{machine.name} is {machine.state}; wait until it is idle.", code="busy")
        move(machine, states.MAINTENANCE, reason or "maintenance", checked=machine.state != states.ERROR)
    else:
        if machine.state != states.MAINTENANCE:
            raise Conflict(f"{machine.name} is not in maintenance.", code="bad_status")
        move(machine, states.DISCONNECTED, "back from maintenance")
    audit.record(actor, "machine.maintenance", machine, {"maintenance": [not on, on]})
    return machine
