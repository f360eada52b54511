"""Devices found on the broker: recorded as they announce themselves, adopted (as a machine or as a room's
device) or ignored by an operator."""
import re
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import OPERATOR, require_role
from core import audit, events
from core.errors import Conflict, NotFound, RuleViolation
from equipment import mqttlink
from equipment.models import Machine
from equipment.services import create_machine

from ..discovery.announcements import SUBSCRIPTIONS, Announcement, read
from ..events import DEVICE_ADOPTED, DEVICE_ADOPTED_IN_ROOM, DEVICE_DISCOVERED
from ..models import DiscoveredDevice, RoomDevice
from .rooms import save_room_device

TOPIC = "workshop"


def _data(device: DiscoveredDevice) -> dict:
    return {"device": device.pk, "key": device.key, "name": device.name, "source": device.source,
            "status": device.status, "online": device.online, "summary": f"{device.name} ({device.source})"}


def record_announcement(found: Announcement) -> tuple[DiscoveredDevice, bool]:
    """Keep what a device announced (one row per device); announce it on ``workshop`` the first time.

    Returns the row and whether it is new. Never adopts: a person decides.
    """
    now = timezone.now()
    for _attempt in range(2):  # two listeners may see the same first announcement
        try:
            with transaction.atomic():
                device = DiscoveredDevice.objects.select_for_update().filter(key=found.key).first()
                created = device is None
                if created:
                    device = DiscoveredDevice(key=found.key, source=found.source, name=found.name,
                                              topic_prefix=found.topic_prefix)
                device.announcement = {**(device.announcement or {}), found.topic: found.config}
                device.online, device.last_seen_at = found.online, now
                if found.topic_prefix and not device.topic_prefix:
                    device.topic_prefix = found.topic_prefix
                device.save()
                if created:
                    events.publish(TOPIC, DEVICE_DISCOVERED, _data(device))
                return device, created
        except IntegrityError:
            continue
    raise Conflict(f"The announcement of {found.key} could not be stored; it is kept by another listener.")


def listen(seconds: float, url: str | None = None, on_found=None) -> int:
    """Subscribe to the discovery topics for ``seconds`` and record every announcement (retained ones at once).

    The number of messages that were announcements. ``manage.py discover_devices`` runs it in a loop.
    """
    url = url or settings.MQTT_URL
    if not url:
        raise Conflict("No MQTT broker is configured (MQTT_URL), so there is nothing to listen to.",
                       code="no_broker")
    client = mqttlink.client(url, "benchtop-discovery")
    seen = []
    client.on_connect = lambda c, userdata, flags, reason, properties: c.subscribe([(t, 1) for t in SUBSCRIPTIONS])
    client.on_message = lambda c, userdata, message: seen.append((message.topic, message.payload))
    try:
        mqttlink.connect(client)
    except OSError as exc:
        raise Conflict(f"The MQTT broker does not answer: {exc}.", code="broker_down") from exc
    count = 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline or seen:
            if not seen:
                time.sleep(0.02)
                continue
            topic, payload = seen.pop(0)
            found = read(topic, payload)
            if found is None:
                continue
            device, created = record_announcement(found)
            count += 1
            if on_found:
                on_found(device, created)
    finally:
        client.disconnect()
        client.loop_stop()
    return count


def scan_for_devices(actor, seconds: float = 2.0) -> int:
    """Listen on the broker for a few seconds (operators), from the page or the API."""
    require_role(actor, OPERATOR, "look for devices")
    if not 0.5 <= seconds <= 10:
        raise RuleViolation("seconds must be between 0.5 and 10.", fields={"seconds": ["0.5–10"]})
    return listen(seconds)


KINDS = {"sensor", "microcontroller"}


@transaction.atomic
def adopt_device(actor, device: DiscoveredDevice, *, name: str = "", kind: str = "sensor") -> Machine:
    """Make a discovered device a machine on the MQTT driver (operators), through equipment's create_machine."""
    require_role(actor, OPERATOR, "adopt devices")
    device = DiscoveredDevice.objects.select_for_update().get(pk=device.pk)
    if device.status == DiscoveredDevice.Status.ADOPTED:
        raise Conflict(f"{device.name} is already adopted as {device.machine or device.room_device or 'a machine'}.",
                       code="adopted")
    if kind not in KINDS:
        raise RuleViolation("kind must be sensor or microcontroller.", fields={"kind": ["sensor or microcontroller"]})
    if not device.topic_prefix:
        raise RuleViolation(f"{device.name} announced no topic to reach it by.", code="no_topic")
    machine = create_machine(actor, name=(name or device.name).strip()[:120], kind=kind, driver="mqtt",
                             connection={"topic_prefix": device.topic_prefix})
    device.status, device.machine = DiscoveredDevice.Status.ADOPTED, machine
    device.save(update_fields=["status", "machine", "updated_at"])
    audit.record(actor, "discovered_device.adopt", device, {"machine": [None, machine.pk]})
    events.publish(TOPIC, DEVICE_ADOPTED, {**_data(device), "machine": machine.pk})
    return machine


@transaction.atomic
def ignore_device(actor, device: DiscoveredDevice) -> DiscoveredDevice:
    """Hide a discovered device from the adoption list (operators); it stays ignored when it announces again."""
    require_role(actor, OPERATOR, "ignore devices")
    device = DiscoveredDevice.objects.select_for_update().get(pk=device.pk)
    if device.status == DiscoveredDevice.Status.ADOPTED:
        raise Conflict(f"{device.name} is adopted; remove its {'room device' if device.room_device_id else 'machine'} "
                       "instead.", code="adopted")
    device.status = DiscoveredDevice.Status.IGNORED
    device.save(update_fields=["status", "updated_at"])
    audit.record(actor, "discovered_device.ignore", device)
    return device


TASMOTA_TOPIC = re.compile(r"^(?:cmnd|stat|tele)/(?P<topic>[^/+#]+)/")
TOPIC_FIELDS = ("command_topic", "state_topic", "availability_topic", "json_attributes_topic")


def tasmota_topic(device: DiscoveredDevice) -> str:
    """The topic a discovered device is switched and read on in the Tasmota layout (``cmnd/<topic>/POWER``)."""
    if device.source == DiscoveredDevice.Source.TASMOTA and device.topic_prefix.startswith("tele/"):
        return device.topic_prefix.removeprefix("tele/")
    for config in (device.announcement or {}).values():
        if not isinstance(config, dict):
            continue
        base = str(config.get("~") or "")
        for field in TOPIC_FIELDS:
            topic = config.get(field)
            if isinstance(topic, str):
                match = TASMOTA_TOPIC.match(topic.replace("~", base))
                if match:
                    return match.group("topic")
    raise RuleViolation(f"{device.name} does not speak the Tasmota layout (cmnd/<topic>/POWER), so it cannot be "
                        "a room device; adopt it as a machine instead.", code="not_tasmota")


def find_room(room_id):
    """The location a door names as the room (None when none was named); NotFound naming a missing one."""
    from inventory.models import Location  # the rooms are inventory's locations; only this lookup needs them

    if room_id in (None, ""):
        return None
    room = Location.objects.filter(pk=room_id).first() if str(room_id).isdigit() else None
    if room is None:
        raise NotFound(f"There is no location {room_id}; pick one of the rooms.")
    return room


@transaction.atomic
def adopt_as_room_device(actor, device: DiscoveredDevice, *, room, kind: str, name: str = "",
                         dimmable: bool = False) -> RoomDevice:
    """Make a discovered device a room's light, fan, air filter or sensor (operators), through the rooms service."""
    require_role(actor, OPERATOR, "adopt devices")
    device = DiscoveredDevice.objects.select_for_update().get(pk=device.pk)
    if device.status == DiscoveredDevice.Status.ADOPTED:
        what = device.room_device or device.machine or "a device"
        raise Conflict(f"{device.name} is already adopted as {what}.", code="adopted")
    if kind not in RoomDevice.Kind.values:
        raise RuleViolation(f"kind must be one of {', '.join(RoomDevice.Kind.values)}.",
                            fields={"kind": list(RoomDevice.Kind.values)})
    if room is None:
        raise RuleViolation("Pick the room the device is in.", fields={"room": ["required"]})
    room_device = save_room_device(actor, name=(name or device.name).strip()[:120], kind=kind, room=room,
                                   topic=tasmota_topic(device), dimmable=bool(dimmable))
    device.status, device.room_device = DiscoveredDevice.Status.ADOPTED, room_device
    device.save(update_fields=["status", "room_device", "updated_at"])
    audit.record(actor, "discovered_device.adopt_in_room", device, {"room_device": [None, room_device.pk]})
    events.publish(TOPIC, DEVICE_ADOPTED_IN_ROOM, {**_data(device), "room_device": room_device.pk,
                                                  "room": room_device.room_id})
    return room_device
