"""Machines: settings, sealed secrets, states, the list's query count."""
import pytest

from core.errors import Conflict
from core.testing import count_queries
from equipment import services, states
from equipment.models import Machine

from .factories import MachineFactory

pytestmark = pytest.mark.django_db


def test_an_api_key_is_stored_sealed_and_never_returned(client_as):
    client = client_as("operator")
    response = client.post("/api/equipment/machines/", {
        "name": "Octo", "kind": "fdm_printer", "driver": "octoprint",
        "connection": {"url": "http://127.0.0.1:5000", "api_key": "SECRET-KEY-123"}}, format="json")
    assert response.status_code == 201, response.data
    assert "SECRET-KEY-123" not in response.content.decode()
    assert response.data["has_credentials"] is True
    machine = Machine.objects.get(name="Octo")
    assert "SECRET-KEY-123" not in machine.sealed_secrets and machine.sealed_secrets
    assert services.connection_settings(machine)["api_key"] == "SECRET-KEY-123"
    detail = client.get(f"/api/equipment/machines/{machine.pk}/")
    assert "SECRET-KEY-123" not in detail.content.decode()


def test_changing_the_url_keeps_the_stored_secret(make_user):
    operator = make_user("operator")
    machine = services.create_machine(operator, name="Prusa", kind="fdm_printer", driver="prusalink",
                                      connection={"url": "http://127.0.0.1:1", "username": "maker", "password": "pw1"})
    services.update_machine(operator, machine, connection={"url": "http://127.0.0.1:2", "username": "maker"})
    machine.refresh_from_db()
    expected = {"url": "http://127.0.0.1:2", "username": "maker", "password": "pw1"}
    assert services.connection_settings(machine) == expected


def test_a_connection_missing_what_its_driver_needs_is_a_400(client_as):
    response = client_as("operator").post("/api/equipment/machines/", {
        "name": "X", "kind": "cnc", "driver": "grbl", "connection": {"url": "http://x"}}, format="json")
    assert response.status_code == 400
    assert "needs port" in response.data["detail"] and "does not take url" in response.data["detail"]


def test_secrets_sealed_with_another_key_are_reported_not_crashed(make_user, settings):
    operator = make_user("operator")
    machine = services.create_machine(operator, name="Octo", kind="fdm_printer", driver="octoprint",
                                      connection={"url": "http://127.0.0.1:5000", "api_key": "k"})
    settings.EQUIPMENT_SECRETS_KEY = "another key"
    from core.errors import RuleViolation

    with pytest.raises(RuleViolation, match="cannot be read with the current key"):
        services.connection_settings(machine)


@pytest.mark.parametrize(("current", "target", "ok"), [
    ("disconnected", "connecting", True), ("connecting", "idle", True), ("idle", "preparing", True),
    ("preparing", "printing", True), ("printing", "pausing", True), ("pausing", "paused", True),
    ("paused", "resuming", True), ("resuming", "printing", True), ("printing", "completing", True),
    ("completing", "complete", True), ("printing", "cancelling", True), ("cancelling", "cancelled", True),
    ("printing", "error", True), ("idle", "disconnected", True), ("maintenance", "error", False),
    ("disconnected", "printing", False), ("idle", "paused", False), ("complete", "printing", False),
    ("cancelled", "resuming", False), ("paused", "printing", False),
])
def test_state_transitions_are_checked(current, target, ok):
    assert states.may_move(current, target) is ok
    if not ok:
        with pytest.raises(Conflict):
            states.check_move(current, target)


def test_the_machine_list_runs_a_fixed_number_of_queries(client_as, make_user):
    client = client_as("member")
    MachineFactory()
    one, _ = count_queries(client, "/api/equipment/machines/")
    for _ in range(5):
        MachineFactory()
    many, response = count_queries(client, "/api/equipment/machines/")
    assert response.data["count"] == 6
    assert one == many


def test_park_settings_are_checked_and_missing_ones_come_from_the_settings(client_as, settings):
    from equipment.services.jobs import park_settings

    client = client_as("operator")
    machine = MachineFactory(travel={"x": 200, "y": 200, "z": 180})
    beyond = client.patch(f"/api/equipment/machines/{machine.pk}/", {"park": {"y": 250}}, format="json")
    assert beyond.status_code == 400 and "beyond the machine's y travel" in beyond.data["detail"]
    wrong = client.patch(f"/api/equipment/machines/{machine.pk}/", {"park": {"lift": "high"}}, format="json")
    assert wrong.status_code == 400 and "park takes lift, x, y and retract" in wrong.data["detail"]
    fine = client.patch(f"/api/equipment/machines/{machine.pk}/", {"park": {"y": 190}}, format="json")
    assert fine.status_code == 200
    settings.EQUIPMENT_PARK_LIFT_MM, settings.EQUIPMENT_PARK_X = 12.0, 5.0
    machine.refresh_from_db()
    assert park_settings(machine) == {"lift": 12.0, "x": 5.0, "y": 190, "retract": 2.0, "z_max": 180}


def test_a_machine_may_set_its_own_retraction_within_reason_and_a_cnc_retracts_nothing(client_as, settings):
    from equipment.models import Machine
    from equipment.services.jobs import park_settings

    client = client_as("operator")
    printer = MachineFactory()
    unloads = client.patch(f"/api/equipment/machines/{printer.pk}/", {"park": {"retract": 80}}, format="json")
    assert unloads.status_code == 400 and "retract is at most 20 mm" in unloads.data["detail"]
    assert client.patch(f"/api/equipment/machines/{printer.pk}/", {"park": {"retract": 4.5}},
                        format="json").status_code == 200
    printer.refresh_from_db()
    assert park_settings(printer)["retract"] == 4.5
    settings.EQUIPMENT_PARK_RETRACT_MM = 3.0
    assert park_settings(MachineFactory())["retract"] == 3.0
    assert park_settings(MachineFactory(kind=Machine.Kind.CNC, park={"retract": 4}))["retract"] == 0
