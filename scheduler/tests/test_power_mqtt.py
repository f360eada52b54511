"""Tasmota smart plugs on the real MQTT broker: the state is what the plug reports back."""
import uuid

import pytest
from django.conf import settings as django_settings

from accounts.tests.factories import UserFactory
from scheduler import services
from scheduler.models import Outlet
from scheduler.power.simulators import TasmotaPlug

from .factories import DeviceFactory


@pytest.fixture
def plug():
    sim = TasmotaPlug(django_settings.MQTT_URL, f"test-{uuid.uuid4().hex[:12]}", relays=2)
    yield sim
    sim.close()


@pytest.mark.full("mqtt")
@pytest.mark.django_db
def test_a_plug_is_switched_and_read_back_through_the_api(client_as, plug):
    operator = client_as("operator")
    pdu = services.create_pdu(operator.user, name="Plug", driver="tasmota", address=plug.topic)
    services.set_outlet(operator.user, pdu, number=2, device_ids=[DeviceFactory().pk])
    response = operator.post(f"/api/scheduler/pdus/{pdu.pk}/outlets/2/on/", {}, format="json")
    assert response.status_code == 200 and response.data["state"] == "on"
    assert plug.states == {1: "OFF", 2: "ON"} and ("POWER2", "ON") in plug.commands
    plug.states[1] = "ON"  # switched by hand at the plug
    states = {o["number"]: o["state"] for o in operator.post(f"/api/scheduler/pdus/{pdu.pk}/status/").data}
    assert states == {2: "on"}
    assert services.switch_outlet(operator.user, pdu, 2, "off").state == "off"
    assert Outlet.objects.get(pdu=pdu, number=2).state == "off"


@pytest.mark.full("mqtt")
@pytest.mark.django_db
def test_a_silent_plug_times_out_and_the_record_is_kept(plug, settings):
    settings.SCHEDULER_PDU_TIMEOUT_SECONDS = 0.5
    operator = UserFactory(role="operator")
    pdu = services.create_pdu(operator, name="Silent plug", driver="tasmota", address=plug.topic)
    services.set_outlet(operator, pdu, number=1)
    plug.mute = True
    with pytest.raises(services.power.PowerFailure, match="did not answer"):
        services.switch_outlet(operator, pdu, 1, "on")
    assert Outlet.objects.get(pdu=pdu, number=1).state == "unknown"
