"""Discovery: serial probes against the pty simulators, and devices announcing themselves on the real broker."""
import json
import time
import uuid

import pytest
from django.core.management import call_command

from core.models import Event
from equipment.models import Machine
from equipment.simulators.grbl import GrblSimulator
from equipment.simulators.marlin import MarlinSimulator
from equipment.tests.factories import MachineFactory
from workshop.discovery.announcements import read
from workshop.events import DEVICE_DISCOVERED
from workshop.models import DiscoveredDevice
from workshop.services.discovery import record_announcement

pytestmark = pytest.mark.django_db

PROBE = "/api/discovery/serial-ports/probe/"


def test_probe_finds_marlin(client_as):
    with MarlinSimulator() as sim:
        time.sleep(0.1)
        body = client_as("operator").post(PROBE, {"port": sim.port}, format="json").json()
    assert body["found"] and body["firmware"] == "marlin" and body["driver"] == "marlin"
    assert body["version"].startswith("Marlin 2.1.2.1") and "EEPROM:1" in body["capabilities"]


def test_probe_finds_grbl_by_its_greeting(client_as):
    with GrblSimulator() as sim:
        time.sleep(0.1)
        body = client_as("operator").post(PROBE, {"port": sim.port}, format="json").json()
    assert body["found"] and body["firmware"] == "grbl" and body["version"] == "1.1h"


def test_probe_refuses_a_port_the_gateway_holds_and_never_opens_it(client_as):
    with MarlinSimulator() as sim:
        MachineFactory(name="Busy printer", state="printing", connection={"port": sim.port, "baud": 115200})
        time.sleep(0.1)
        opened = sim.opened
        response = client_as("operator").post(PROBE, {"port": sim.port}, format="json")
        time.sleep(0.1)
        assert response.status_code == 409 and "Busy printer" in response.json()["detail"]
        assert sim.opened == opened, "the simulator saw no open"


def test_probe_of_a_missing_port_or_bad_baud_says_what_is_wrong(client_as):
    client = client_as("operator")
    assert client.post(PROBE, {"port": "/dev/does-not-exist"}, format="json").status_code == 409
    response = client.post(PROBE, {"port": "/dev/null", "baud": 1234}, format="json")
    assert response.status_code == 400 and "baud" in response.json()["detail"]


def test_serial_ports_list_answers_with_usb_fields(client_as):
    body = client_as("operator").get("/api/discovery/serial-ports/").json()
    assert isinstance(body["results"], list)
    for row in body["results"]:
        assert {"device", "vid", "pid", "serial_number", "machines"} <= set(row)


def test_announcements_are_read_and_our_own_machines_skipped():
    config = {"name": "Temp", "state_topic": "lab/esp1/telemetry", "device": {"identifiers": ["esp1"], "name": "ESP 1"}}
    found = read("homeassistant/sensor/esp1/temp/config", json.dumps(config).encode())
    assert (found.key, found.name, found.topic_prefix) == ("homeassistant:esp1", "ESP 1", "lab/esp1")
    ours = {"unique_id": "benchtop_3_state", "state_topic": "benchtop/equipment/3/status",
            "device": {"identifiers": ["benchtop_3"]}}
    assert read("homeassistant/sensor/benchtop_3_state/config", json.dumps(ours).encode()) is None
    assert read("tele/plug-7/LWT", b"Online").key == "tasmota:plug-7"
    assert read("tele/plug-7/LWT", b"garbage") is None
    assert read("homeassistant/sensor/x/config", b"{not json") is None


def test_a_device_is_announced_once_and_adopted_only_by_an_operator(client_as):
    found = read("tele/plug-9/LWT", b"Online")
    device, created = record_announcement(found)
    again, created_again = record_announcement(found)
    assert created and not created_again and again.pk == device.pk
    assert Event.objects.filter(topic="workshop", type=DEVICE_DISCOVERED).count() == 1
    assert not Machine.objects.exists(), "never adopted by itself"
    url = f"/api/discovery/devices/{device.pk}/adopt/"
    assert client_as("member").post(url, {}, format="json").status_code == 403
    response = client_as("operator").post(url, {"name": "Plug nine"}, format="json")
    assert response.status_code == 201, response.json()
    machine = Machine.objects.get(name="Plug nine")
    assert machine.driver == "mqtt" and machine.connection == {"topic_prefix": "tele/plug-9"}
    assert client_as("operator").post(url, {}, format="json").status_code == 409


def test_adopting_under_a_taken_name_is_refused_on_the_page(client, make_user):
    MachineFactory(name="Plug ten")
    device, _ = record_announcement(read("tele/plug-10/LWT", b"Online"))
    client.force_login(make_user("operator"))
    page = client.post("/workshop/discovery/", {"action": "adopt", "device": device.pk, "name": "Plug ten"})
    assert page.status_code == 409 and b"already exists" in page.content
    device.refresh_from_db()
    assert device.status == "new"
    page = client.post("/workshop/discovery/", {"action": "adopt", "device": device.pk, "name": "Plug ten b"})
    assert page.status_code == 200 and Machine.objects.filter(name="Plug ten b").exists()


def test_ignored_devices_leave_the_list(client_as):
    device, _ = record_announcement(read("tele/plug-11/LWT", b"Online"))
    client = client_as("operator")
    assert client.post(f"/api/discovery/devices/{device.pk}/ignore/").status_code == 200
    listed = client.get("/api/discovery/devices/?status=new").json()["results"]
    assert device.key not in [row["key"] for row in listed]


@pytest.mark.full("mqtt")
def test_devices_announcing_on_the_broker_are_listed(client_as, settings):
    from equipment import mqttlink

    node = f"test{uuid.uuid4().hex[:10]}"
    publisher = mqttlink.client(settings.MQTT_URL, "test-announcer")
    mqttlink.connect(publisher)
    config_topic = f"homeassistant/sensor/{node}/temperature/config"
    config = {"name": "Temperature", "~": f"lab/{node}", "state_topic": "~/state",
              "device": {"identifiers": [node], "name": f"Bench sensor {node}"}}
    try:
        publisher.publish(config_topic, json.dumps(config), qos=1, retain=True).wait_for_publish(3)
        publisher.publish(f"tele/{node}/LWT", "Online", qos=1, retain=True).wait_for_publish(3)
        response = client_as("operator").post("/api/discovery/devices/scan/", {"seconds": 1.0}, format="json")
        assert response.status_code == 200 and response.json()["announcements"] >= 2
        ha = DiscoveredDevice.objects.get(key=f"homeassistant:{node}")
        assert ha.topic_prefix == f"lab/{node}" and ha.status == "new"
        assert DiscoveredDevice.objects.get(key=f"tasmota:{node}").online
        call_command("discover_devices", seconds=0.5)
        assert DiscoveredDevice.objects.filter(key__endswith=node).count() == 2
    finally:
        publisher.publish(config_topic, "", qos=1, retain=True).wait_for_publish(3)
        publisher.publish(f"tele/{node}/LWT", "", qos=1, retain=True).wait_for_publish(3)
        publisher.disconnect()
        publisher.loop_stop()


def test_device_list_runs_a_fixed_number_of_queries(client_as):
    from core.testing import count_queries

    client = client_as("operator")
    adopted, _ = record_announcement(read("tele/q-0/LWT", b"Online"))
    client.post(f"/api/discovery/devices/{adopted.pk}/adopt/", {}, format="json")
    one, _ = count_queries(client, "/api/discovery/devices/")
    for n in range(1, 6):
        device, _ = record_announcement(read(f"tele/q-{n}/LWT", b"Online"))
        client.post(f"/api/discovery/devices/{device.pk}/adopt/", {}, format="json")
    many, response = count_queries(client, "/api/discovery/devices/?ordering=name")
    assert response.json()["count"] == 6 and one == many


def _room(name="Print room"):
    from inventory.tests.factories import LocationFactory

    return LocationFactory(name=name, kind="room")


def test_a_tasmota_device_is_adopted_as_a_room_device_through_the_api(client_as):
    from workshop.events import DEVICE_ADOPTED_IN_ROOM
    from workshop.models import RoomDevice

    device, _ = record_announcement(read("tele/fan-7a2/LWT", b"Online"))
    assert not RoomDevice.objects.exists(), "announcing adopts nothing"
    room = _room()
    client = client_as("operator")
    response = client.post(f"/api/discovery/devices/{device.pk}/adopt-room/",
                           {"room": room.pk, "kind": "fan", "name": "Exhaust fan"}, format="json")
    assert response.status_code == 201, response.json()
    found = RoomDevice.objects.get(pk=response.json()["room_device"])
    assert (found.topic, found.kind, found.room, found.name) == ("fan-7a2", "fan", room, "Exhaust fan")
    device.refresh_from_db()
    assert device.status == "adopted" and device.room_device == found and device.machine is None
    assert Event.objects.filter(type=DEVICE_ADOPTED_IN_ROOM, data__room_device=found.pk).exists()
    again = client.post(f"/api/discovery/devices/{device.pk}/adopt/", {"name": ""}, format="json")
    assert again.status_code == 409 and "already adopted as Exhaust fan" in again.json()["detail"]


def test_a_home_assistant_device_in_the_tasmota_layout_is_adopted_and_others_are_refused(client_as):
    config = {"name": "Desk lamp", "~": "cmnd/lamp-42/", "command_topic": "~POWER",
              "state_topic": "stat/lamp-42/RESULT", "device": {"identifiers": ["lamp-42"], "name": "Desk lamp"}}
    lamp, _ = record_announcement(read("homeassistant/light/lamp-42/config", json.dumps(config).encode()))
    other = {"name": "Zigbee sensor", "state_topic": "zigbee2mqtt/sensor-9", "device": {"identifiers": ["z9"]}}
    zigbee, _ = record_announcement(read("homeassistant/sensor/z9/temp/config", json.dumps(other).encode()))
    room, client = _room(), client_as("operator")
    ok = client.post(f"/api/discovery/devices/{lamp.pk}/adopt-room/",
                     {"room": room.pk, "kind": "light", "dimmable": True}, format="json")
    assert ok.status_code == 201 and ok.json()["name"] == "Desk lamp"
    refused = client.post(f"/api/discovery/devices/{zigbee.pk}/adopt-room/", {"room": room.pk, "kind": "sensor"},
                          format="json")
    assert refused.status_code == 400 and "Tasmota layout" in refused.json()["detail"]
    zigbee.refresh_from_db()
    assert zigbee.status == "new"


def test_adopting_in_a_room_needs_an_operator_and_a_room(client, client_as, make_user):
    from inventory.tests.factories import LocationFactory
    from workshop.models import RoomDevice

    device, _ = record_announcement(read("tele/plug-9c/LWT", b"Online"))
    shelf = LocationFactory(name="Shelf A", kind="shelf")
    url = f"/api/discovery/devices/{device.pk}/adopt-room/"
    assert client_as("member").post(url, {"room": _room().pk, "kind": "light"}, format="json").status_code == 403
    wrong = client_as("operator").post(url, {"room": shelf.pk, "kind": "light"}, format="json")
    assert wrong.status_code == 400 and "belong to a room" in wrong.json()["detail"]
    missing = client_as("operator").post(url, {"room": 999999, "kind": "light"}, format="json")
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]
    # The page: the same service, the refusal in place, then the adoption.
    client.force_login(make_user("operator"))
    page = client.post("/workshop/discovery/", {"action": "adopt_room", "device": device.pk, "room": shelf.pk,
                                                "kind": "light", "name": "Bench light"})
    assert page.status_code == 400 and "belong to a room" in page.content.decode()
    room = _room("Laser room")
    page = client.post("/workshop/discovery/", {"action": "adopt_room", "device": device.pk, "room": room.pk,
                                                "kind": "light", "name": "Bench light", "dimmable": "on"})
    assert page.status_code == 200 and "adopted as Bench light in Laser room" in page.content.decode()
    found = RoomDevice.objects.get(topic="plug-9c")
    assert found.room == room and found.dimmable
    assert "Adopt as room device" not in client.get("/workshop/discovery/").content.decode().split("plug-9c")[1][:400]
