"""SNMP PDUs against a pysnmp agent on loopback: switching with read-back, status, a wrong community times out."""
import pytest

from accounts.tests.factories import UserFactory
from scheduler import services
from scheduler.models import Outlet
from scheduler.power.snmp_agent import SnmpPduAgent

from .factories import DeviceFactory


@pytest.fixture
def agent():
    sim = SnmpPduAgent(outlets=4, community="lab-secret")
    yield sim
    sim.close()


@pytest.fixture
def pdu(agent, db):
    return services.create_pdu(UserFactory(role="operator"), name="SNMP strip", driver="snmp",
                               address=f"127.0.0.1:{agent.port}", password="lab-secret", options={"outlets": 4})


@pytest.mark.django_db
def test_an_snmp_outlet_is_switched_and_read_back_through_the_api(client_as, agent, pdu):
    services.set_outlet(UserFactory(role="operator"), pdu, number=3, device_ids=[DeviceFactory().pk])
    operator = client_as("operator")
    response = operator.post(f"/api/scheduler/pdus/{pdu.pk}/outlets/3/on/", {}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "on" and agent.states[3] == 1
    agent.states[3] = 2  # switched off at the strip
    states = operator.post(f"/api/scheduler/pdus/{pdu.pk}/status/").data
    assert [(o["number"], o["state"]) for o in states] == [(3, "off")]


@pytest.mark.django_db
def test_a_wrong_community_gets_no_answer_and_the_record_is_kept(agent, pdu, settings):
    settings.SCHEDULER_PDU_TIMEOUT_SECONDS = 0.5
    operator = UserFactory(role="operator")
    services.update_pdu(operator, pdu, password="guess")
    services.set_outlet(operator, pdu, number=1)
    with pytest.raises(services.power.PowerFailure, match="did not answer"):
        services.switch_outlet(operator, pdu, 1, "on")
    assert Outlet.objects.get(pdu=pdu, number=1).state == "unknown" and agent.states[1] == 2


@pytest.mark.django_db
def test_an_snmp_address_with_a_path_is_refused(client_as):
    response = client_as("operator").post("/api/scheduler/pdus/", {"name": "X", "driver": "snmp",
                                                                   "address": "http://pdu/x"}, format="json")
    assert response.status_code == 400 and "address" in response.data["fields"]
