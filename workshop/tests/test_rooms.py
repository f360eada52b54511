"""Rooms: Tasmota messages read, limits alerting once per crossing, fans off while a laser runs, switching."""
import json
import queue
import time
import uuid

import pytest

from core.models import Event
from equipment.tests.factories import MachineFactory
from inventory.tests.factories import AssetFactory, LocationFactory
from workshop import tasmota_messages
from workshop.events import ROOM_ALERT, ROOM_ALERT_CLEARED
from workshop.models import RoomDevice, RoomReading
from workshop.services.rooms import save_room_device
from workshop.services.rooms_live import recheck_air_movers, record_device_message

from .factories import RoomDeviceFactory

pytestmark = pytest.mark.django_db


def test_tasmota_messages_are_read():
    sensor = json.dumps({"Time": "2026-11-30T10:00:00", "AM2301": {"Temperature": 31.5, "Humidity": 40.1},
                         "SGP30": {"TVOC": 620, "eCO2": 900}, "TempUnit": "C"}).encode()
    assert tasmota_messages.read("tele/room1/SENSOR", sensor) == (
        "room1", {"values": {"temperature": 31.5, "humidity": 40.1, "voc": 620, "eco2": 900}})
    assert tasmota_messages.read("stat/lamp/RESULT", b'{"POWER":"ON","Dimmer":40}') == (
        "lamp", {"power": True, "level": 40})
    assert tasmota_messages.read("stat/lamp/POWER", b"OFF") == ("lamp", {"power": False})
    assert tasmota_messages.read("tele/lamp/LWT", b"Offline") == ("lamp", {"online": False})
    assert tasmota_messages.read("tele/lamp/SENSOR", b"{broken") is None


def test_too_hot_alerts_once_and_clears():
    sensor = RoomDeviceFactory(kind="sensor", limits={"temperature": {"max": 30}})
    for value in (31, 32):
        record_device_message(sensor.topic, {"values": {"temperature": value}})
    alerts = Event.objects.filter(type=ROOM_ALERT, topic=f"room:{sensor.room_id}")
    assert alerts.count() == 1 and "above 30" in alerts.get().data["summary"]
    assert Event.objects.filter(type=ROOM_ALERT, topic="workshop").count() == 1
    record_device_message(sensor.topic, {"values": {"temperature": 25}})
    assert Event.objects.filter(type=ROOM_ALERT_CLEARED).count() == 1
    assert RoomReading.objects.filter(device=sensor).count() == 3


def test_a_fan_off_while_a_laser_runs_in_the_room_alerts():
    room = LocationFactory(name="Laser room")
    fan = RoomDeviceFactory(kind="fan", name="Extractor", room=room)
    laser = MachineFactory(name="Laser", kind="laser", driver="grbl", state="idle",
                           asset=AssetFactory(location=room))
    record_device_message(fan.topic, {"power": False})
    assert not Event.objects.filter(type=ROOM_ALERT).exists(), "an idle laser needs no fan"
    laser.state = "printing"
    laser.save(update_fields=["state"])
    recheck_air_movers()
    alert = Event.objects.get(type=ROOM_ALERT, topic=f"room:{room.pk}")
    assert alert.data["kind"] == "off_while_laser_runs" and "Laser" in alert.data["summary"]
    record_device_message(fan.topic, {"power": True})
    assert Event.objects.filter(type=ROOM_ALERT_CLEARED).count() == 1


def test_messages_of_unknown_devices_are_ignored():
    assert record_device_message("nobody-here", {"power": True}) is None


def test_room_device_settings_are_checked(make_user):
    operator = make_user("operator")
    room = LocationFactory(name="Print room")
    shelf = LocationFactory(name="Shelf", kind="shelf")
    from core.errors import Conflict, RuleViolation

    with pytest.raises(RuleViolation, match="belong to a room"):
        save_room_device(operator, name="Lamp", kind="light", room=shelf, topic="lamp-a")
    with pytest.raises(RuleViolation, match="limits"):
        save_room_device(operator, name="Lamp", kind="light", room=room, topic="lamp-a", limits={"t": 3})
    save_room_device(operator, name="Lamp", kind="light", room=room, topic="lamp-a")
    with pytest.raises(Conflict):
        save_room_device(operator, name="Lamp 2", kind="light", room=room, topic="lamp-a")


def test_admin_saves_through_the_service(client, make_user):
    admin = make_user("admin", is_staff=True, is_superuser=True)
    shelf = LocationFactory(name="Shelf", kind="shelf")
    client.force_login(admin)
    client.post("/admin/workshop/roomdevice/add/", {"name": "Lamp", "kind": "light", "room": shelf.pk,
                                                    "topic": "lamp-b", "limits": "{}"})
    assert not RoomDevice.objects.exists()


def test_room_page_shows_devices_and_a_refusal_in_place(client, make_user, settings):
    settings.MQTT_URL = ""
    light = RoomDeviceFactory(name="Ceiling")
    client.force_login(make_user("member"))
    page = client.get(f"/workshop/rooms/{light.room_id}/")
    assert page.status_code == 200 and b"Ceiling" in page.content and b'data-live-topics="room:' in page.content
    page = client.post(f"/workshop/rooms/{light.room_id}/", {"device": light.pk, "action": "off"})
    assert page.status_code == 409 and b"MQTT" in page.content


@pytest.mark.full("mqtt")
def test_switch_reaches_the_device_and_its_report_comes_back(client_as, settings):
    from equipment import mqttlink
    from workshop.services.rooms_live import watch_rooms

    light = RoomDeviceFactory(topic=f"t{uuid.uuid4().hex[:10]}", dimmable=True,
                              kind="light", limits={"temperature": {"max": 30}})
    got = queue.Queue()
    device = mqttlink.client(settings.MQTT_URL, "test-tasmota")
    device.on_connect = lambda c, *a: c.subscribe(f"cmnd/{light.topic}/#", qos=1)
    device.on_message = lambda c, u, m: got.put((m.topic, m.payload.decode()))
    mqttlink.connect(device)
    try:
        time.sleep(0.3)
        client = client_as("member")
        assert client.post(f"/api/rooms/devices/{light.pk}/switch/", {"on": True}, format="json").status_code == 200
        assert got.get(timeout=3) == (f"cmnd/{light.topic}/POWER", "ON")
        assert client.post(f"/api/rooms/devices/{light.pk}/dim/", {"level": 30}, format="json").status_code == 200
        assert got.get(timeout=3) == (f"cmnd/{light.topic}/Dimmer", "30")
        # The device answers as Tasmota does; the watcher records it.
        device.publish(f"stat/{light.topic}/RESULT", '{"POWER":"ON","Dimmer":30}', qos=1, retain=True)
        device.publish(f"tele/{light.topic}/SENSOR", '{"DS18B20":{"Temperature":35.0}}', qos=1, retain=True)
        time.sleep(0.2)
        watch_rooms(0.8, settings.MQTT_URL)
        light.refresh_from_db()
        assert light.power is True and light.level == 30 and light.readings == {"temperature": 35.0}
        assert light.alerting == ["temperature_high"]
    finally:
        for suffix in ("stat/{}/RESULT", "tele/{}/SENSOR"):
            device.publish(suffix.format(light.topic), "", qos=1, retain=True).wait_for_publish(3)
        device.disconnect()
        device.loop_stop()
