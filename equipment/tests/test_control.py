"""Driving a machine: booking-gated commands, limits, emergency stops, through the API, the admin and a command."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from equipment import states
from equipment.models import Command, Job, Machine, SafetyEvent

from .factories import MachineFactory, booked_machine

pytestmark = pytest.mark.django_db


def post(client, machine, body):
    return client.post(f"/api/equipment/machines/{machine.pk}/commands/", body, format="json")


def test_a_member_holding_a_confirmed_booking_now_may_home(client_as):
    client = client_as("member")
    machine, _ = booked_machine(client.user)
    response = post(client, machine, {"command": "home"})
    assert response.status_code == 202, response.data
    assert Command.objects.get(pk=response.data["id"]).name == "home"


def test_a_collaborator_on_the_booking_may_drive_too(client_as, make_user):
    client = client_as("member")
    machine, booking = booked_machine(make_user("member"))
    booking.collaborators.add(client.user)
    assert post(client, machine, {"command": "home"}).status_code == 202


@pytest.mark.parametrize(("status", "hours"), [("pending", (-1, 1)), ("confirmed", (1, 2)), ("confirmed", (-3, -1)),
                                               ("cancelled", (-1, 1))])
def test_without_a_confirmed_booking_covering_now_a_member_is_refused_with_the_reason(client_as, status, hours):
    client = client_as("member")
    machine, _ = booked_machine(client.user, status=status, hours=hours)
    response = post(client, machine, {"command": "home"})
    assert response.status_code == 403
    assert "no confirmed booking" in response.data["detail"]
    assert not Command.objects.exists()


def test_someone_elses_booking_does_not_count(client_as, make_user):
    client = client_as("member")
    machine, _ = booked_machine(make_user("member"))
    assert post(client, machine, {"command": "home"}).status_code == 403


def test_operators_drive_without_a_booking(client_as):
    assert post(client_as("operator"), MachineFactory(), {"command": "home"}).status_code == 202


def test_raw_gcode_is_for_operators_only(client_as):
    client = client_as("member")
    machine, _ = booked_machine(client.user)
    response = post(client, machine, {"command": "gcode", "gcode": "M105"})
    assert response.status_code == 403 and "operator" in response.data["detail"]
    assert post(client_as("operator"), machine, {"command": "gcode", "gcode": "M105"}).status_code == 202


@pytest.mark.parametrize(("heater", "target", "code"), [("hotend", 300, 202), ("hotend", 301, 400), ("bed", 120, 202),
                                                         ("bed", 121, 400), ("nozzle", 100, 400), ("bed", -5, 400)])
def test_temperature_targets_stay_within_the_machines_limits(client_as, heater, target, code):
    response = post(client_as("operator"), MachineFactory(), {"command": "set_temperature", "heater": heater,
                                                              "target": target})
    assert response.status_code == code, response.data


def test_a_machine_with_a_lower_limit_refuses_what_the_default_allows(client_as):
    machine = MachineFactory(max_hotend=240)
    response = post(client_as("operator"), machine, {"command": "set_temperature", "heater": "hotend", "target": 250})
    assert response.status_code == 400 and "at most 240" in response.data["detail"]


def test_a_disconnected_machine_takes_no_commands(client_as):
    response = post(client_as("operator"), MachineFactory(state=states.DISCONNECTED), {"command": "home"})
    assert response.status_code == 409 and "connect it first" in response.data["detail"]


def test_no_jogging_during_a_job(client_as):
    response = post(client_as("operator"), MachineFactory(state=states.PRINTING), {"command": "jog", "x": 5})
    assert response.status_code == 409


def test_emergency_stop_fails_the_job_raises_an_event_and_queues_the_stop(client_as):
    client = client_as("member")
    machine, _ = booked_machine(client.user, state=states.PRINTING)
    job = Job.objects.create(machine=machine, user=client.user, original_name="a", total_lines=5, status="running")
    response = post(client, machine, {"command": "emergency_stop"})
    assert response.status_code == 202
    machine.refresh_from_db()
    job.refresh_from_db()
    assert machine.state == states.ERROR and job.status == Job.Status.FAILED
    assert SafetyEvent.objects.get(machine=machine).level == "emergency"
    assert Command.objects.get(machine=machine).name == "emergency_stop"


def test_stop_all_through_the_api_stops_every_connected_machine(client_as):
    online = [MachineFactory(state=states.IDLE), MachineFactory(state=states.PRINTING)]
    offline = MachineFactory(state=states.DISCONNECTED)
    response = client_as("operator").post("/api/equipment/emergency-stop/", {}, format="json")
    assert response.status_code == 202 and len(response.data) == 2
    assert {m.state for m in Machine.objects.filter(pk__in=[m.pk for m in online])} == {states.ERROR}
    offline.refresh_from_db()
    assert offline.state == states.DISCONNECTED


def test_stop_all_through_the_command_obeys_the_same_rule(make_user):
    MachineFactory(state=states.IDLE)
    member = make_user("member")
    with pytest.raises(CommandError, match="operator"):
        call_command("emergency_stop", user=member.username)
    operator = make_user("operator")
    call_command("emergency_stop", user=operator.username)
    assert Machine.objects.get().state == states.ERROR


def test_the_command_refuses_a_member_without_a_booking_for_one_machine(make_user):
    machine = MachineFactory()
    with pytest.raises(CommandError, match="no bookable device"):
        call_command("emergency_stop", user=make_user("member").username, machine=machine.pk)


def test_the_admin_connect_action_goes_through_the_booking_rule(client, make_user):
    from django.contrib.auth.models import Group

    operator = make_user("operator")
    machine = MachineFactory(state=states.DISCONNECTED)
    client.force_login(operator)
    response = client.post("/admin/equipment/machine/",
                           {"action": "connect_selected", "_selected_action": [machine.pk]}, follow=True)
    assert response.status_code == 200
    assert Command.objects.filter(machine=machine, name="connect").exists()
    assert Group.objects.filter(name="operator").exists()


def test_a_booking_ending_now_no_longer_lets_the_member_drive(client_as):
    client = client_as("member")
    machine, booking = booked_machine(client.user)
    booking.end = timezone.now() - timedelta(seconds=1)
    booking.save()
    assert post(client, machine, {"command": "home"}).status_code == 403


def test_maintenance_takes_an_idle_machine_out_of_service_and_back(client, make_user):
    from equipment import services

    operator = make_user("operator")
    machine = MachineFactory(state=states.IDLE)
    client.force_login(operator)
    client.post("/admin/equipment/machine/", {"action": "maintenance_on", "_selected_action": [machine.pk]})
    machine.refresh_from_db()
    assert machine.state == states.MAINTENANCE
    with pytest.raises(Exception, match="maintenance"):
        services.connect_machine(operator, machine)
    services.set_maintenance(operator, machine, False)
    machine.refresh_from_db()
    assert machine.state == states.DISCONNECTED


def test_a_printing_machine_cannot_go_into_maintenance(make_user):
    from core.errors import Conflict
    from equipment import services

    machine = MachineFactory(state=states.PRINTING)
    with pytest.raises(Conflict):
        services.set_maintenance(make_user("operator"), machine, True)
    with pytest.raises(Exception, match="operator"):
        services.set_maintenance(make_user("member"), machine, True)
