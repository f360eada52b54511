"""The device page shows the outlets feeding the device and switches them through the power service."""
import pytest

from scheduler import services
from scheduler.models import Outlet
from scheduler.power.simulators import RaritanServer

from .factories import DeviceFactory


@pytest.fixture
def fed_device(db, make_user):
    sim = RaritanServer(outlets=2)
    operator = make_user("operator")
    pdu = services.create_pdu(operator, name="Bench strip", driver="raritan", address=sim.url,
                              username="admin", password="secret")
    device = DeviceFactory(name="Scope")
    services.set_outlet(operator, pdu, number=2, name="scope mains", device_ids=[device.pk])
    yield sim, pdu, device
    sim.close()


@pytest.mark.django_db
def test_an_operator_switches_from_the_device_page_and_sees_the_reported_state(client, make_user, fed_device):
    sim, pdu, device = fed_device
    client.force_login(make_user("operator"))
    page = client.get(f"/scheduler/devices/{device.pk}/").content.decode()
    assert "Bench strip outlet 2 (scope mains)" in page and f'data-outlet-state="{pdu.pk}-2"' in page
    response = client.post(f"/scheduler/devices/{device.pk}/power/{pdu.pk}/2/on/", follow=True)
    assert "is on (as the PDU reports)" in response.content.decode()
    assert sim.states[1] == 1 and Outlet.objects.get(pdu=pdu, number=2).state == "on"


@pytest.mark.django_db
def test_a_member_without_a_booking_sees_the_refusal_on_the_page(client, make_user, fed_device):
    sim, pdu, device = fed_device
    client.force_login(make_user("member"))
    response = client.post(f"/scheduler/devices/{device.pk}/power/{pdu.pk}/2/off/", follow=True)
    assert "is booked by you now" in response.content.decode() and sim.calls == []
