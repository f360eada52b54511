"""Switching and dimming a room's devices; the same functions for the API, the room page and voice."""
from django.db import transaction

from accounts.roles import MEMBER, OPERATOR, require_role
from core import audit
from core.errors import Conflict, NotFound, RuleViolation, check_fields

from .. import tasmota
from ..models import RoomDevice


def devices_in(room, kind: str = "all"):
    """The switchable devices of one room, of one kind or all kinds (sensors are read, not switched)."""
    devices = RoomDevice.objects.filter(room=room).exclude(kind=RoomDevice.Kind.SENSOR)
    return devices if kind == "all" else devices.filter(kind=kind)


@transaction.atomic
def switch_room(actor, room, *, kind: str = "all", on: bool) -> list[RoomDevice]:
    """Turn a room's lights, fans or air filters (or all of them) on or off (members)."""
    require_role(actor, MEMBER, "switch room devices")
    devices = list(devices_in(room, kind))
    if not devices:
        what = "devices" if kind == "all" else RoomDevice.Kind(kind).label.lower() + "s"
        raise NotFound(f"{room.name} has no {what} to switch.")
    for device in devices:
        tasmota.send(device.topic, "POWER", "ON" if on else "OFF")
        audit.record(actor, "room_device.switch", device, {"power": [device.power, on]})
    return devices


@transaction.atomic
def dim_room(actor, room, *, kind: str = "light", level: int) -> list[RoomDevice]:
    """Set the dimmer of a room's dimmable lights to ``level`` percent (members)."""
    require_role(actor, MEMBER, "dim room lights")
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 100:
        raise RuleViolation("level must be a whole number from 0 to 100.", fields={"level": ["0–100"]})
    devices = list(devices_in(room, kind).filter(dimmable=True))
    if not devices:
        raise NotFound(f"{room.name} has nothing dimmable.")
    for device in devices:
        tasmota.send(device.topic, "Dimmer", str(level))
        audit.record(actor, "room_device.dim", device, {"level": [device.level, level]})
    return devices


@transaction.atomic
def switch_device(actor, device: RoomDevice, *, on: bool) -> RoomDevice:
    """Turn one light, fan or air filter on or off (members)."""
    require_role(actor, MEMBER, "switch room devices")
    if device.kind == RoomDevice.Kind.SENSOR:
        raise RuleViolation(f"{device.name} is a sensor; it has nothing to switch.")
    tasmota.send(device.topic, "POWER", "ON" if on else "OFF")
    audit.record(actor, "room_device.switch", device, {"power": [device.power, on]})
    return device


@transaction.atomic
def dim_device(actor, device: RoomDevice, *, level) -> RoomDevice:
    """Set one dimmable light's level, 0–100 % (members)."""
    require_role(actor, MEMBER, "dim room lights")
    if not device.dimmable:
        raise RuleViolation(f"{device.name} cannot be dimmed.", fields={"level": ["not dimmable"]})
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 100:
        raise RuleViolation("level must be a whole number from 0 to 100.", fields={"level": ["0–100"]})
    tasmota.send(device.topic, "Dimmer", str(level))
    audit.record(actor, "room_device.dim", device, {"level": [device.level, level]})
    return device


DEVICE_FIELDS = ["name", "kind", "room", "topic", "dimmable", "limits"]


def _check_limits(limits) -> None:
    if not isinstance(limits, dict) or not all(
            isinstance(limit, dict) and set(limit) <= {"min", "max"}
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in limit.values())
            for limit in limits.values()):
        raise RuleViolation('limits maps a reading to {"min": n, "max": n}, e.g. {"temperature": {"max": 30}}.',
                            fields={"limits": ["bad shape"]})


@transaction.atomic
def save_room_device(actor, device: RoomDevice | None = None, **fields) -> RoomDevice:
    """Add a room device or change its settings (operators): the room must be a room, the topic unique."""
    require_role(actor, OPERATOR, "set up room devices")
    unknown = set(fields) - set(DEVICE_FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    if device is not None and device.pk:
        device = RoomDevice.objects.select_for_update().get(pk=device.pk)
    else:
        device = RoomDevice()
    before = audit.snapshot(device, list(fields)) if device.pk else {}
    for name, value in fields.items():
        setattr(device, name, value)
    _check_limits(device.limits)
    if device.room_id and device.room.kind != "room":
        raise RuleViolation(f"{device.room.name} is a {device.room.kind}; room devices belong to a room.",
                            fields={"room": ["Pick a room."]})
    if RoomDevice.objects.filter(topic=device.topic).exclude(pk=device.pk).exists():
        raise Conflict(f"Another device already uses the topic {device.topic!r}.", fields={"topic": ["taken"]})
    check_fields(device, exclude=["alerting"])
    device.save()
    audit.record(actor, "room_device.save", device, audit.diff(before, device) if before else
                 {name: [None, str(value)] for name, value in fields.items()})
    return device
