"""SNMP v3 PDUs (authPriv, SHA and AES) against the pysnmp agent speaking USM on loopback.

Switching reads back through encrypted, authenticated requests; the passphrases are sealed
and never answered; wrong credentials are a clear failure that leaves the record as it was.
"""
import pytest

from accounts.tests.factories import UserFactory
from core.models import AuditEntry
from scheduler import services
from scheduler.models import PDU, Outlet
from scheduler.power.snmp_agent import SnmpPduAgent

from .factories import DeviceFactory

V3 = {"version": "3", "outlets": 4, "auth_protocol": "sha", "priv_protocol": "aes"}


@pytest.fixture
def agent():
    sim = SnmpPduAgent(outlets=4, v3_user="labpdu", auth_key="auth-pass-123", priv_key="priv-pass-456")
    yield sim
    sim.close()


@pytest.fixture
def operator(db):
    return UserFactory(role="operator")


def make_pdu(client, agent, **extra):
    body = {"name": "Secure strip", "driver": "snmp", "address": f"127.0.0.1:{agent.port}", "username": "labpdu",
            "password": "auth-pass-123", "privacy_password": "priv-pass-456", "options": V3, **extra}
    return client.post("/api/scheduler/pdus/", body, format="json")


@pytest.mark.django_db
def test_a_v3_outlet_is_switched_through_the_api_and_the_passphrases_never_come_back(client_as, agent, operator):
    api = client_as("operator")
    created = make_pdu(api, agent)
    assert created.status_code == 201, created.data
    assert created.data["has_password"] and created.data["has_privacy_password"]
    pdu = PDU.objects.get(pk=created.data["id"])
    assert "priv-pass-456" not in pdu.privacy_password_sealed and "auth-pass-123" not in pdu.password_sealed
    services.set_outlet(operator, pdu, number=2, device_ids=[DeviceFactory().pk])
    answer = api.post(f"/api/scheduler/pdus/{pdu.pk}/outlets/2/on/", {}, format="json")
    assert answer.status_code == 200, answer.data
    assert answer.data["state"] == "on" and agent.states[2] == 1
    shown = api.get(f"/api/scheduler/pdus/{pdu.pk}/").content.decode() \
        + api.get("/api/scheduler/pdus/").content.decode()
    assert "auth-pass" not in shown and "priv-pass" not in shown and pdu.privacy_password_sealed not in shown


@pytest.mark.django_db
def test_a_v3_status_read_through_the_admin_action_follows_the_strip(client, agent, operator):
    pdu = services.create_pdu(operator, name="Secure strip", driver="snmp", address=f"127.0.0.1:{agent.port}",
                              username="labpdu", password="auth-pass-123", privacy_password="priv-pass-456",
                              options=V3)
    services.set_outlet(operator, pdu, number=3)
    agent.states[3] = 1  # switched on at the strip
    client.force_login(operator)
    client.post("/admin/scheduler/pdu/", {"action": "read_states", "_selected_action": [pdu.pk]})
    assert Outlet.objects.get(pdu=pdu, number=3).state == "on"


@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"password": "wrong-auth-99"}, {"privacy_password": "wrong-priv-99"},
                                    {"username": "intruder"}])
def test_wrong_v3_credentials_fail_clearly_and_leave_the_record(agent, operator, change):
    pdu = services.create_pdu(operator, name="Secure strip", driver="snmp", address=f"127.0.0.1:{agent.port}",
                              username="labpdu", password="auth-pass-123", privacy_password="priv-pass-456",
                              options=V3)
    services.set_outlet(operator, pdu, number=1)
    services.switch_outlet(operator, pdu, 1, "on")
    services.update_pdu(operator, pdu, **change)
    with pytest.raises(services.power.PowerFailure, match="refused the SNMP v3 credentials") as refused:
        services.switch_outlet(operator, pdu, 1, "off")
    assert "recorded state is unchanged" in refused.value.detail
    assert Outlet.objects.get(pdu=pdu, number=1).state == "on" and agent.states[1] == 1


@pytest.mark.django_db
def test_wrong_v3_credentials_answer_502_through_the_api(client_as, agent, operator):
    pdu = services.create_pdu(operator, name="Secure strip", driver="snmp", address=f"127.0.0.1:{agent.port}",
                              username="labpdu", password="auth-pass-123", privacy_password="not-the-key",
                              options=V3)
    services.set_outlet(operator, pdu, number=4)
    answer = client_as("operator").post(f"/api/scheduler/pdus/{pdu.pk}/outlets/4/on/", {}, format="json")
    assert answer.status_code == 502 and "SNMP v3 credentials" in answer.data["detail"]
    assert Outlet.objects.get(pdu=pdu, number=4).state == "unknown" and agent.states[4] == 2


@pytest.mark.django_db
def test_incomplete_v3_settings_are_refused_naming_the_field(client_as, agent):
    answer = make_pdu(client_as("operator"), agent, privacy_password="short")
    assert answer.status_code == 400 and "privacy_password" in answer.data["fields"]
    assert "8 characters" in answer.data["detail"]
    answer = make_pdu(client_as("operator"), agent, options={**V3, "priv_protocol": "des"})
    assert answer.status_code == 400 and "priv_protocol" in answer.data["detail"]


@pytest.mark.django_db
def test_replacing_a_passphrase_is_audited_without_its_sealed_text(agent, operator):
    pdu = services.create_pdu(operator, name="Secure strip", driver="snmp", address=f"127.0.0.1:{agent.port}",
                              username="labpdu", password="auth-pass-123", privacy_password="priv-pass-456",
                              options=V3)
    services.update_pdu(operator, pdu, privacy_password="priv-pass-789")
    entry = AuditEntry.objects.filter(action="pdu.update").latest("pk")
    assert entry.changes == {"privacy_password": ["…", "replaced"]}
    pdu.refresh_from_db()
    assert pdu.privacy_password_sealed not in str(entry.changes)
