"""Room devices as they report: readings kept, limits checked, alerts raised once per crossing.

``watch_rooms`` (the ``watch_rooms`` command) listens on the broker and hands every Tasmota
message of a known device to ``record_device_message``.
"""
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core import events
from equipment import mqttlink, states
from equipment.models import Machine

from .. import tasmota_messages
from ..events import ROOM_ALERT, ROOM_ALERT_CLEARED, ROOM_READING
from ..models import RoomDevice, RoomReading

KEEP_HOURS = 24
AIR_MOVERS = (RoomDevice.Kind.FAN, RoomDevice.Kind.AIR_FILTER)


def room_topics(device: RoomDevice) -> list[str]:
    return [f"room:{device.room_id}"]


def lasers_running_in(room) -> list[Machine]:
    """Lasers busy in ``room`` (their asset stands in the room or anywhere below it)."""
    return list(Machine.objects.filter(kind=Machine.Kind.LASER, state__in=states.BUSY,
                                       asset__location__tree_path__startswith=room.tree_path))


def _alerts(device: RoomDevice) -> dict[str, str]:
    """What is over its limit for this device now: {alert key: summary}."""
    found = {}
    for name, limit in (device.limits or {}).items():
        value = (device.readings or {}).get(name)
        if not isinstance(value, (int, float)) or not isinstance(limit, dict):
            continue
        if "max" in limit and value > limit["max"]:
            found[f"{name}_high"] = f"{device.room.name}: {name} {value} is above {limit['max']} ({device.name})"
        if "min" in limit and value < limit["min"]:
            found[f"{name}_low"] = f"{device.room.name}: {name} {value} is below {limit['min']} ({device.name})"
    if device.kind in AIR_MOVERS and device.power is False:
        lasers = lasers_running_in(device.room)
        if lasers:
            found["off_while_laser_runs"] = (f"{device.room.name}: {device.name} is off while "
                                             f"{', '.join(m.name for m in lasers)} runs")
    return found


def check_limits(device: RoomDevice) -> None:
    """Raise an alert for each limit newly crossed and clear those back within (inside the caller's transaction)."""
    now_over = _alerts(device)
    before = set(device.alerting or [])
    for key in sorted(set(now_over) - before):
        events.publish(room_topics(device) + ["workshop"], ROOM_ALERT,
                       {"device": device.pk, "room": device.room_id, "kind": key, "summary": now_over[key]})
    for key in sorted(before - set(now_over)):
        events.publish(room_topics(device), ROOM_ALERT_CLEARED,
                       {"device": device.pk, "room": device.room_id, "kind": key,
                        "summary": f"{device.name}: {key.replace('_', ' ')} back to normal"})
    device.alerting = sorted(now_over)


@transaction.atomic
def record_device_message(device_topic: str, found: dict, at=None) -> RoomDevice | None:
    """Apply what a device reported (power, level, values, online) and check its limits; None for unknown topics."""
    device = RoomDevice.objects.select_for_update().select_related("room").filter(topic=device_topic).first()
    if device is None:
        return None
    at = at or timezone.now()
    if "online" in found:
        device.online = found["online"]
    if "power" in found:
        device.power = found["power"]
    if "level" in found:
        device.level = found["level"]
    if "values" in found:
        device.readings = {**(device.readings or {}), **found["values"]}
        RoomReading.objects.create(device=device, at=at, values=found["values"])
    if found.get("online", True):
        device.last_seen_at, device.online = at, True
    check_limits(device)
    device.save()
    events.publish(room_topics(device), ROOM_READING,
                   {"device": device.pk, "room": device.room_id, "power": device.power, "level": device.level,
                    "values": device.readings, "online": device.online, "name": device.name})
    return device


def recheck_air_movers() -> None:
    """Re-check every fan and air filter (a laser may have started or stopped since they last reported)."""
    with transaction.atomic():
        for device in RoomDevice.objects.select_for_update().select_related("room").filter(kind__in=AIR_MOVERS):
            before = list(device.alerting or [])
            check_limits(device)
            if device.alerting != before:
                device.save(update_fields=["alerting", "updated_at"])


def prune_readings(hours: int = KEEP_HOURS) -> int:
    """Drop readings older than the chart window; the number removed."""
    return RoomReading.objects.filter(at__lt=timezone.now() - timedelta(hours=hours)).delete()[0]


def watch_rooms(seconds: float, url: str) -> int:
    """Listen to room devices for ``seconds`` and record what they report; messages applied."""
    client = mqttlink.client(url, "benchtop-rooms-watch")
    inbox = []
    client.on_connect = lambda c, userdata, flags, reason, properties: c.subscribe(
        [(topic, 0) for topic in tasmota_messages.SUBSCRIPTIONS])
    client.on_message = lambda c, userdata, message: inbox.append((message.topic, message.payload))
    mqttlink.connect(client)
    applied, deadline, next_check = 0, time.monotonic() + seconds, 0.0
    try:
        while time.monotonic() < deadline or inbox:
            if time.monotonic() >= next_check:
                recheck_air_movers()
                next_check = time.monotonic() + 5
            if not inbox:
                time.sleep(0.02)
                continue
            parsed = tasmota_messages.read(*inbox.pop(0))
            if parsed and record_device_message(*parsed):
                applied += 1
    finally:
        client.disconnect()
        client.loop_stop()
    return applied
