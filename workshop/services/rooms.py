"""Switching and dimming a room's devices; the same functions for the API, the room page and voice."""
from django.db import transaction

from accounts.roles import MEMBER, require_role
from core import audit
from core.errors import NotFound, RuleViolation

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
