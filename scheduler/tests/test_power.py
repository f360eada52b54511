"""PDUs and outlets: sealed credentials, who may switch, failures, the command and the admin (Raritan simulator)."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEntry, Event
from core.sealing import unseal
from scheduler import services
from scheduler.models import PDU, Booking, Outlet
from scheduler.power.simulators import RaritanServer

from .factories import BookingFactory, DeviceFactory


@pytest.fixture
def raritan():
    sim = RaritanServer(outlets=4, username="admin", password="s3cret")
    yield sim
    sim.close()


@pytest.fixture
def pdu(raritan, make_user):
    return services.create_pdu(make_user("operator"), name="Rack A", driver="raritan", address=raritan.url,
                               username="admin", password="s3cret")


def outlet_for(pdu, *devices, number=1, mode="manual"):
    return services.set_outlet(_operator(), pdu, number=number, mode=mode, device_ids=[d.pk for d in devices])


def _operator():
    from accounts.tests.factories import UserFactory

    return UserFactory(role="operator")


def running(device, user, **fields):
    now = timezone.now()
    return BookingFactory(device=device, user=user, status=Booking.Status.CONFIRMED,
                          start=fields.pop("start", now - timedelta(minutes=30)),
                          end=fields.pop("end", now + timedelta(hours=1)), **fields)


@pytest.mark.django_db
def test_the_password_is_sealed_at_rest_and_never_returned(client_as, raritan):
    operator = client_as("operator")
    response = operator.post("/api/scheduler/pdus/", {"name": "Rack B", "driver": "raritan", "address": raritan.url,
                                                      "username": "admin", "password": "s3cret"}, format="json")
    assert response.status_code == 201, response.data
    assert "password" not in response.data and response.data["has_password"] is True
    row = PDU.objects.get(pk=response.data["id"])
    assert "s3cret" not in row.password_sealed and unseal(row.password_sealed) == "s3cret"
    listed = operator.get("/api/scheduler/pdus/").content.decode()
    assert "s3cret" not in listed and row.password_sealed not in listed


@pytest.mark.django_db
def test_a_bad_address_is_refused_with_the_field_named(client_as):
    response = client_as("operator").post("/api/scheduler/pdus/", {"name": "X", "driver": "raritan",
                                                                   "address": "pdu1"}, format="json")
    assert response.status_code == 400 and "address" in response.data["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("options", [[None, None], "verify_tls", 3])
def test_options_that_are_not_an_object_are_refused_and_nothing_is_stored(client_as, options):
    body = {"name": "Plug", "driver": "tasmota", "address": "plug1", "options": options}
    response = client_as("operator").post("/api/scheduler/pdus/", body, format="json")
    assert response.status_code == 400 and "options" in response.data["fields"], response.content
    assert not PDU.objects.filter(name="Plug").exists()


@pytest.mark.django_db
def test_an_operator_switches_an_outlet_and_the_state_is_what_the_pdu_reports(client_as, pdu, raritan):
    device = DeviceFactory()
    outlet_for(pdu, device, number=2)
    response = client_as("operator").post(f"/api/scheduler/pdus/{pdu.pk}/outlets/2/on/", {}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "on" and raritan.states[1] == 1
    assert Outlet.objects.get(pdu=pdu, number=2).state == "on"
    assert AuditEntry.objects.filter(action="outlet.on").exists()
    topics = set(Event.objects.filter(type="outlet.switched").values_list("topic", flat=True))
    assert topics == {f"pdu:{pdu.pk}", f"device:{device.pk}"}
    cycled = client_as("operator").post(f"/api/scheduler/pdus/{pdu.pk}/outlets/2/cycle/", {"delay": 0},
                                        format="json")
    assert cycled.data["state"] == "on" and raritan.calls.count("setPowerState") == 3


@pytest.mark.django_db
def test_a_member_without_a_running_booking_is_refused_with_the_reason(client_as, pdu):
    outlet_for(pdu, DeviceFactory())
    response = client_as("member").post(f"/api/scheduler/pdus/{pdu.pk}/outlets/1/on/", {}, format="json")
    assert response.status_code == 403 and "booked by you now" in response.data["detail"]


@pytest.mark.django_db
def test_a_member_holding_every_booked_device_switches_but_not_when_another_holds_one(client_as, pdu, raritan):
    mine, theirs, idle = DeviceFactory(), DeviceFactory(name="Shared scope"), DeviceFactory()
    outlet_for(pdu, mine, idle)
    member = client_as("member")
    running(mine, member.user)
    assert member.post(f"/api/scheduler/pdus/{pdu.pk}/outlets/1/on/", {}, format="json").status_code == 200
    outlet_for(pdu, mine, theirs)
    other = running(theirs, client_as("member").user)
    response = member.post(f"/api/scheduler/pdus/{pdu.pk}/outlets/1/off/", {}, format="json")
    assert response.status_code == 403
    assert "Shared scope" in response.data["detail"] and f"#{other.pk}" in response.data["detail"]
    assert raritan.states[0] == 1  # still on: the refusal switched nothing


@pytest.mark.django_db
def test_an_always_on_outlet_is_switched_off_only_by_operators(client_as, pdu):
    device = DeviceFactory()
    outlet_for(pdu, device, mode="always_on")
    member = client_as("member")
    running(device, member.user)
    response = member.post(f"/api/scheduler/pdus/{pdu.pk}/outlets/1/off/", {}, format="json")
    assert response.status_code == 403 and "always on" in response.data["detail"]


@pytest.mark.django_db
def test_a_pdu_that_does_not_answer_fails_and_leaves_the_record(client_as, pdu, raritan, settings):
    settings.SCHEDULER_PDU_TIMEOUT_SECONDS = 0.3
    outlet = outlet_for(pdu, DeviceFactory())
    raritan.mute = True
    response = client_as("operator").post(f"/api/scheduler/pdus/{pdu.pk}/outlets/1/on/", {}, format="json")
    assert response.status_code == 502 and "unchanged" in response.data["detail"]
    outlet.refresh_from_db()
    assert outlet.state == "unknown" and not AuditEntry.objects.filter(action="outlet.on").exists()


@pytest.mark.django_db
def test_a_wrong_password_is_a_failure_not_a_state(client_as, pdu):
    services.update_pdu(_operator(), pdu, password="wrong")
    outlet_for(pdu, DeviceFactory())
    response = client_as("operator").post(f"/api/scheduler/pdus/{pdu.pk}/outlets/1/on/", {}, format="json")
    assert response.status_code == 502 and "refused the user name or password" in response.data["detail"]


@pytest.mark.django_db
def test_status_reconciles_and_a_difference_raises_a_mismatch_event(client_as, pdu, raritan):
    outlet = outlet_for(pdu, DeviceFactory())
    services.switch_outlet(_operator(), pdu, 1, "on")
    raritan.states[0] = 0  # someone pressed the button on the strip
    response = client_as("member").post(f"/api/scheduler/pdus/{pdu.pk}/status/")
    assert response.status_code == 200 and response.data[0]["state"] == "off"
    outlet.refresh_from_db()
    assert outlet.state == "off"
    mismatch = Event.objects.get(type="outlet.state_mismatch", topic=f"pdu:{pdu.pk}")
    assert (mismatch.data["recorded"], mismatch.data["reported"]) == ("on", "off")
    raritan.states[1] = 1
    assert services.reconcile_power() == {"read": 1, "failed": 0}
    # Outlet 2 has no row here, and outlet 1 already agrees: no second mismatch.
    assert Event.objects.filter(type="outlet.state_mismatch", topic=f"pdu:{pdu.pk}").count() == 1


@pytest.mark.django_db
def test_the_pdu_status_command_prints_each_outlet(pdu, raritan, make_user, capsys):
    outlet_for(pdu, DeviceFactory(), number=3)
    raritan.states[2] = 1
    user = make_user("member")
    call_command("pdu_status", "--as", user.username)
    assert "Rack A\t3\t\tmanual\ton" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_admin_switch_action_obeys_the_same_rule(client, pdu, raritan, make_user):
    outlet = outlet_for(pdu, DeviceFactory())
    client.force_login(make_user("operator"))
    response = client.post("/admin/scheduler/outlet/", {"action": "switch_on", "_selected_action": [outlet.pk]},
                           follow=True)
    assert response.status_code == 200 and raritan.states[0] == 1
    outlet.refresh_from_db()
    assert outlet.state == "on"
