"""The gateway against simulated machines: connecting, commands, telemetry, jobs, losing and regaining machines."""
import time

import pytest

from equipment import services, states
from equipment.models import Command, Job, Machine, TelemetrySample
from equipment.services import link as link_services
from equipment.simulators.grbl import GrblSimulator
from equipment.simulators.httphost import OctoPrintHost
from equipment.simulators.marlin import MarlinSimulator

from .factories import MachineFactory, gcode_file
from .gateway_helpers import RunningGateway, state_of, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("gateway_connections")]


def test_the_gateway_connects_polls_and_carries_out_commands(make_user, marlin_online):
    operator = make_user("operator")
    online = marlin_online()
    machine, sim = Machine.objects.get(pk=online.machine.pk), online.sim
    assert machine.capabilities["firmware"].startswith("Marlin")
    command = services.send_command(operator, machine, "set_temperature", heater="bed", target=60)
    wait_for(lambda: Command.objects.get(pk=command.pk).status == "done", what="command done")
    assert "M140 S60" in sim.executed
    wait_for(lambda: TelemetrySample.objects.filter(machine=machine, data__bed__target=60.0).exists(),
             what="a stored reading with the new target")
    machine.refresh_from_db()
    assert machine.telemetry["bed"]["target"] == 60.0 and machine.last_seen_at is not None


def test_a_marlin_job_streams_to_the_end_and_completes(make_user, marlin_online):
    operator = make_user("operator")
    online = marlin_online()
    machine, sim = online.machine, online.sim
    job = services.upload_job(operator, machine, gcode_file(120))
    services.start_job(operator, job)
    wait_for(lambda: Job.objects.get(pk=job.pk).status == "completed", timeout=15, what="completion")
    assert state_of(machine) == states.COMPLETE
    online.stop_gateway()
    job.refresh_from_db()
    assert job.lines_acked == 120 and job.finished_at is not None
    assert [line for line in sim.executed if line.startswith("G1")][-1] == "G1 X18 Y26 E1.18"
    assert state_of(machine) == states.DISCONNECTED  # the gateway stopped: nothing holds the machine


def test_pause_stops_the_stream_and_resume_goes_on(make_user, marlin_online):
    operator = make_user("operator")
    online = marlin_online()
    machine, sim = online.machine, online.sim
    job = services.upload_job(operator, machine, gcode_file(3000))
    services.start_job(operator, job)
    wait_for(lambda: state_of(machine) == states.PRINTING)
    services.pause_job(operator, job)
    wait_for(lambda: state_of(machine) == states.PAUSED, what="paused")
    sent = len(sim.executed)
    time.sleep(0.5)
    assert not [line for line in sim.executed[sent:] if line.startswith("G1")]  # polls only, no job lines
    services.resume_job(operator, Job.objects.get(pk=job.pk))
    wait_for(lambda: state_of(machine) == states.PRINTING, what="printing again")
    wait_for(lambda: len([line for line in sim.executed[sent:] if line.startswith("G1")]) > 20,
             what="more job lines")
    services.cancel_job(operator, Job.objects.get(pk=job.pk))
    wait_for(lambda: state_of(machine) == states.IDLE, what="idle after cancel")
    assert "M104 S0" in sim.executed


def test_a_paused_marlin_print_parks_its_head_and_brings_it_back_before_going_on(make_user, marlin_online):
    from django.core.files.uploadedfile import SimpleUploadedFile

    operator = make_user("operator")
    body = "G28\nG1 Z0.3 F1200\n" + "".join(f"G1 X{10 + i % 80} Y{20 + (i * 7) % 80}\n" for i in range(3000))
    online = marlin_online(lambda port: MachineFactory(state=states.DISCONNECTED, connection={"port": port},
                                                       travel={"x": 220, "y": 220, "z": 250},
                                                       park={"lift": 5, "x": 0, "y": 200}))
    machine, sim = online.machine, online.sim
    job = services.upload_job(operator, machine, SimpleUploadedFile("park.gcode", body.encode()))
    services.start_job(operator, job)
    wait_for(lambda: len(sim.trail) > 30, what="the head moving")
    services.pause_job(operator, Job.objects.get(pk=job.pk))
    wait_for(lambda: state_of(machine) == states.PAUSED, what="paused")
    assert (sim.position["X"], sim.position["Y"], sim.position["Z"]) == (0.0, 200.0, 5.3)
    parked = len(sim.trail) - 1
    saved = sim.trail[parked - 2]  # where the job's last move left the head, read back with M114
    assert saved[2] == 0.3 and sim.trail[parked - 1] == (saved[0], saved[1], 5.3)
    assert "M400" in sim.executed and "M114" in sim.executed
    services.resume_job(operator, Job.objects.get(pk=job.pk))
    wait_for(lambda: len(sim.trail) > parked + 5, what="job moves after the resume")
    assert sim.trail[parked + 1] == (saved[0], saved[1], 5.3)  # over the print first, then down
    assert sim.trail[parked + 2] == saved
    assert sim.trail[parked + 3][2] == 0.3 and sim.feedrate == 1200.0  # the job's own height and speed
    services.cancel_job(operator, Job.objects.get(pk=job.pk))
    wait_for(lambda: state_of(machine) == states.IDLE, what="idle after cancel")


def test_a_machine_that_goes_silent_is_offline_within_3_seconds_and_its_job_waits(make_user, marlin_online):
    operator = make_user("operator")
    online = marlin_online()
    machine, sim = online.machine, online.sim
    job = services.upload_job(operator, machine, gcode_file(5000))
    services.start_job(operator, job)
    wait_for(lambda: Job.objects.get(pk=job.pk).lines_acked > 0, what="progress")
    sim.halted = True  # the board hangs: the port stays open but nothing comes back
    lost_at = time.monotonic()
    wait_for(lambda: state_of(machine) == states.DISCONNECTED, timeout=6, what="disconnected")
    assert time.monotonic() - lost_at <= 3.5
    assert Job.objects.get(pk=job.pk).status == "interrupted"
    sim.halted = False  # the board is back: the gateway reconnects (with backoff), the job does not resume
    wait_for(lambda: state_of(machine) == states.IDLE, timeout=10, what="reconnected")
    time.sleep(0.5)
    assert Job.objects.get(pk=job.pk).status == "interrupted"


def test_an_unplugged_board_is_offline_at_once():
    sim = MarlinSimulator().start()
    machine = MachineFactory(state=states.DISCONNECTED, connection={"port": sim.port})
    with RunningGateway():
        wait_for(lambda: state_of(machine) == states.IDLE)
        sim.stop()  # the pty disappears, as a USB adapter does when pulled
        started = time.monotonic()
        wait_for(lambda: state_of(machine) == states.DISCONNECTED, timeout=4)
        assert time.monotonic() - started < 3


def test_one_connection_per_port():
    with MarlinSimulator() as sim:
        first = MachineFactory(state=states.DISCONNECTED, connection={"port": sim.port})
        second = MachineFactory(state=states.DISCONNECTED, connection={"port": sim.port})
        with RunningGateway():
            wait_for(lambda: state_of(first) == states.IDLE)
            wait_for(lambda: state_of(second) == states.ERROR)
        second.refresh_from_db()
        assert "already held" in second.state_reason


def test_emergency_stop_reaches_a_busy_board_at_once(make_user, marlin_online):
    operator = make_user("operator")
    online = marlin_online()
    machine, sim = online.machine, online.sim
    job = services.upload_job(operator, machine, gcode_file(5000))
    services.start_job(operator, job)
    wait_for(lambda: Job.objects.get(pk=job.pk).lines_acked > 10)
    services.emergency_stop(operator, Machine.objects.get(pk=machine.pk))
    wait_for(lambda: sim.halted, timeout=2, what="M112 at the board")
    time.sleep(0.3)
    online.stop_gateway()
    assert Job.objects.get(pk=job.pk).status == "failed"
    assert state_of(machine) == states.ERROR


def test_a_job_left_running_by_a_crashed_gateway_is_not_resumed_by_the_next_one(make_user, marlin_online):
    operator = make_user("operator")
    online = marlin_online()
    machine, sim = online.machine, online.sim
    job = services.upload_job(operator, machine, gcode_file(5000))
    services.start_job(operator, job)
    wait_for(lambda: Job.objects.get(pk=job.pk).lines_acked > 0)
    online.stop_gateway()
    # A crash (unlike this clean stop) would have left the row "running"; a new gateway connects again.
    Job.objects.filter(pk=job.pk).update(status="running", paused_at=None)
    online.start_gateway(wait_idle=False)
    wait_for(lambda: Job.objects.get(pk=job.pk).status == "interrupted", what="interrupted")
    assert "connected afresh" in Job.objects.get(pk=job.pk).reason
    sent = len(sim.executed)
    time.sleep(0.6)
    assert not [line for line in sim.executed[sent:] if line.startswith("G1")]


def test_a_grbl_job_streams_with_character_counting(make_user):
    operator = make_user("operator")
    with GrblSimulator() as sim:
        machine = MachineFactory(kind="cnc", driver="grbl", state=states.DISCONNECTED, connection={"port": sim.port})
        with RunningGateway():
            wait_for(lambda: state_of(machine) == states.IDLE)
            job = services.upload_job(operator, machine, gcode_file(400))
            services.start_job(operator, job)
            wait_for(lambda: Job.objects.get(pk=job.pk).status == "completed", timeout=15)
    assert sim.overflowed == 0 and len([c for c in sim.executed if c.startswith("G1")]) == 399


def test_an_octoprint_job_is_uploaded_and_followed(make_user):
    operator = make_user("operator")
    with OctoPrintHost(api_key="key-1") as host:
        machine = services.create_machine(operator, name="Octo", kind="fdm_printer", driver="octoprint",
                                          connection={"url": host.url, "api_key": "key-1"})
        with RunningGateway():
            wait_for(lambda: state_of(machine) == states.IDLE)
            job = services.upload_job(operator, machine, gcode_file(300))
            services.start_job(operator, job)
            wait_for(lambda: Job.objects.get(pk=job.pk).status == "completed", timeout=15)
    assert len(host.printer.files) == 1


def test_a_fault_report_does_not_break_the_link_services():
    machine = MachineFactory(state=states.PRINTING)
    link_services.machine_fault(machine.pk, "thermal runaway")
    assert state_of(machine) == states.ERROR


@pytest.mark.full("mqtt")
def test_an_mqtt_sensor_through_the_gateway_stores_every_reading_and_answers_commands(make_user, settings):
    import uuid

    from equipment.simulators.mqttdevice import MqttDevice

    operator = make_user("operator")
    prefix = f"test-{uuid.uuid4().hex}/equipment/sensor"
    with MqttDevice(settings.MQTT_URL, prefix, interval=0.05) as device:
        machine = services.create_machine(operator, name="Sensor", kind="sensor", driver="mqtt",
                                          connection={"topic_prefix": prefix})
        with RunningGateway():
            wait_for(lambda: state_of(machine) == states.IDLE)
            wait_for(lambda: TelemetrySample.objects.filter(machine=machine).count() >= 20, what="20 readings")
            command = services.send_command(operator, machine, "gcode", gcode='{"command": "relay", "on": true}')
            wait_for(lambda: Command.objects.get(pk=command.pk).status == "done")
            assert device.relay is True
            device.stop(gracefully=False)
            wait_for(lambda: state_of(machine) == states.DISCONNECTED, timeout=5, what="offline")
        device.forget()


def test_live_telemetry_goes_to_the_machine_topic_at_most_twice_a_second(settings):
    from core.models import Event

    settings.EQUIPMENT_LIVE_PER_SECOND = 2.0
    with MarlinSimulator() as sim:
        machine = MachineFactory(state=states.DISCONNECTED, connection={"port": sim.port})
        with RunningGateway(poll=0.05):  # polled 20 times a second
            wait_for(lambda: state_of(machine) == states.IDLE)
            first = Event.objects.filter(topic=f"machine:{machine.pk}", type="machine.telemetry").count()
            time.sleep(2.0)
            sent = Event.objects.filter(topic=f"machine:{machine.pk}", type="machine.telemetry").count() - first
    assert 2 <= sent <= 5
    frame = Event.objects.filter(topic=f"machine:{machine.pk}", type="machine.telemetry").last().data
    assert frame["machine"] == machine.pk and "hotend" in frame and "at" in frame
