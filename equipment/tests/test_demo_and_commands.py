"""Demo machines, the telemetry prune command and task, and the MQTT layout."""
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from equipment import mqtt_layout, tasks
from equipment.models import Machine, TelemetrySample

from .factories import MachineFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_three_simulated_machines_once():
    call_command("seed_demo")
    call_command("seed_demo")
    machines = Machine.objects.order_by("driver")
    assert [m.driver for m in machines] == ["grbl", "marlin", "mqtt"]
    assert all(m.connection["simulator"] for m in machines)
    printer = Machine.objects.get(driver="marlin")
    assert printer.device is not None and printer.material is not None


def _samples(machine, start, count, every=timedelta(seconds=10)):
    TelemetrySample.objects.bulk_create([
        TelemetrySample(machine=machine, at=start + every * n,
                        data={"hotend": {"actual": 200.0 + n % 6, "target": 210.0}, "bed": {"actual": 60.0,
                                                                                          "target": 60.0}})
        for n in range(count)])


def test_prune_folds_old_raw_samples_into_minutes_and_deletes_past_keeping(settings):
    machine = MachineFactory()
    now = timezone.now().replace(second=0, microsecond=0)
    _samples(machine, now - timedelta(days=40), 6)  # past keeping
    _samples(machine, now - timedelta(hours=30), 12)  # two minutes of raw samples, old
    _samples(machine, now - timedelta(minutes=5), 6)  # recent: stays raw
    call_command("prune_telemetry")
    minutes = TelemetrySample.objects.filter(minute=True).order_by("at")
    assert minutes.count() == 2
    assert minutes[0].data["samples"] == 6 and minutes[0].data["hotend"]["actual"] == 202.5
    assert TelemetrySample.objects.filter(minute=False).count() == 6
    assert not TelemetrySample.objects.filter(at__lt=now - timedelta(days=30)).exists()


def test_the_beat_task_does_the_same():
    machine = MachineFactory()
    _samples(machine, timezone.now() - timedelta(days=2), 3)
    assert tasks.prune_telemetry.delay().get()["downsampled"] == 3


def test_telemetry_api_reads_raw_and_minute_resolution(client_as):
    machine = MachineFactory()
    start = timezone.now() - timedelta(minutes=30)
    _samples(machine, start, 12)
    client = client_as("member")
    url = f"/api/equipment/machines/{machine.pk}/telemetry/"
    raw = client.get(url, {"from": (start - timedelta(minutes=1)).isoformat()})
    assert raw.status_code == 200 and len(raw.data["samples"]) == 12
    minute = client.get(url, {"from": (start - timedelta(minutes=1)).isoformat(), "resolution": "minute"})
    assert 2 <= len(minute.data["samples"]) <= 3
    bad = client.get(url, {"resolution": "hourly"})
    assert bad.status_code == 400


def test_the_watchdog_raises_a_critical_event_and_stops_a_silent_printer(settings, make_user):
    from equipment import services, states
    from equipment.models import Job, SafetyEvent

    machine = MachineFactory(state=states.PRINTING, last_seen_at=timezone.now() - timedelta(minutes=5))
    Job.objects.create(machine=machine, user=make_user("member"), original_name="a", total_lines=3, status="running")
    raised = services.watchdog()
    assert [e.kind for e in raised] == ["watchdog"] and raised[0].level == "critical"
    machine.refresh_from_db()
    assert machine.state == states.ERROR
    assert SafetyEvent.objects.filter(kind="emergency_stop").exists()


def test_an_overheating_reading_is_an_emergency(make_user):
    from equipment import services, states
    from equipment.models import SafetyEvent

    machine = MachineFactory(state=states.IDLE, max_hotend=250)
    services.record_telemetry(machine.pk, [(timezone.now(), {"hotend": {"actual": 270.0, "target": 200.0}})])
    event = SafetyEvent.objects.get(kind="hotend_overheat")
    assert event.level == "emergency"
    machine.refresh_from_db()
    assert machine.state == states.ERROR


def test_operators_acknowledge_and_resolve_safety_events_through_api_and_admin(client_as, client, make_user):
    from equipment.models import SafetyEvent

    machine = MachineFactory()
    first = SafetyEvent.objects.create(machine=machine, level="warning", kind="a", message="warm")
    second = SafetyEvent.objects.create(machine=machine, level="warning", kind="b", message="warm")
    api = client_as("operator")
    assert api.post(f"/api/equipment/safety-events/{first.pk}/acknowledge/").data["status"] == "acknowledged"
    assert api.post(f"/api/equipment/safety-events/{first.pk}/acknowledge/").status_code == 409
    assert api.post(f"/api/equipment/safety-events/{first.pk}/resolve/").data["status"] == "resolved"
    client.force_login(make_user("operator"))
    client.post("/admin/equipment/safetyevent/", {"action": "resolve_selected", "_selected_action": [second.pk]})
    second.refresh_from_db()
    assert second.status == "resolved" and second.resolved_by is not None


def test_mqtt_layout_and_home_assistant_discovery(settings):
    machine = MachineFactory(telemetry={})
    assert mqtt_layout.topic(machine.pk, "status") == f"benchtop/equipment/{machine.pk}/status"
    assert mqtt_layout.QOS == {"status": 1, "telemetry": 0, "command": 1, "response": 1, "events": 1}
    messages = dict(mqtt_layout.discovery_messages(machine))
    hotend = json.loads(messages[f"homeassistant/sensor/benchtop_{machine.pk}_hotend/config"])
    assert hotend["state_topic"] == f"benchtop/equipment/{machine.pk}/telemetry"
    assert hotend["unit_of_measurement"] == "°C" and hotend["device"]["identifiers"] == [f"benchtop_{machine.pk}"]
    with pytest.raises(ValueError):
        mqtt_layout.topic(machine.pk, "lights")


def test_a_large_batch_is_stored_whole_and_the_newest_reading_is_kept():
    from equipment import services

    machine = MachineFactory()
    start = timezone.now() - timedelta(seconds=100)
    readings = [(start + timedelta(milliseconds=10 * n), {"values": {"temperature": n}}) for n in range(500)]
    assert services.record_telemetry(machine.pk, readings) == 500
    assert TelemetrySample.objects.filter(machine=machine).count() == 500
    machine.refresh_from_db()
    assert machine.telemetry["values"] == {"temperature": 499}
    assert TelemetrySample.objects.filter(machine=machine, data__values__temperature=250).exists()


def test_raw_json_readings_are_stored_and_a_malformed_one_does_not_lose_the_batch():
    from equipment import services

    machine = MachineFactory()
    start = timezone.now() - timedelta(seconds=100)
    readings = [(start + timedelta(milliseconds=n), b'{"values": {"n": %d}}' % n) for n in range(99)]
    readings.append((start + timedelta(seconds=1), b'{"values": not json'))
    assert services.record_telemetry(machine.pk, readings) == 100
    assert TelemetrySample.objects.filter(machine=machine).count() == 100
    assert TelemetrySample.objects.filter(machine=machine, data__values__n=98).exists()


def test_readings_with_characters_copy_treats_specially_are_stored_as_sent():
    from equipment import services

    machine = MachineFactory()
    at = timezone.now()
    odd = {"values": {"label": "tab\there, back\\slash, new\nline", "n": 1}}
    readings = [(at, b'{"values": {"n": %d}}' % n) for n in range(60)] + [(at, json.dumps(odd).encode()),
                                                                         (at, b'{"values":\n {"pretty": true}}')]
    assert services.record_telemetry(machine.pk, readings) == 62
    stored = [row.data for row in TelemetrySample.objects.filter(machine=machine)]
    assert odd in stored and {"values": {"pretty": True}} in stored and len(stored) == 62
