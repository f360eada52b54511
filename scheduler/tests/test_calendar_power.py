"""Outlet states on the booking calendar: shown beside each device, and followed live from the PDU topics."""
import pytest

from core.tests.browser import watch_console
from scheduler import services
from scheduler.power.simulators import RaritanServer

from .factories import DeviceFactory, at


@pytest.mark.django_db
def test_the_calendar_shows_each_devices_outlet_state_and_follows_its_pdu(client, make_user):
    operator = make_user("operator")
    pdu = services.create_pdu(operator, name="Strip", driver="raritan", address="http://127.0.0.1:9",
                              username="admin", password="x")
    fed, unfed = DeviceFactory(name="Fed"), DeviceFactory(name="Unfed")
    services.set_outlet(operator, pdu, number=2, device_ids=[fed.pk])
    client.force_login(make_user("viewer"))
    for view in ("week", "day"):
        page = client.get("/scheduler/", {"view": view, "day": at(1).date().isoformat()}).content.decode()
        assert f'data-power-device="{fed.pk}" data-power="unknown"' in page
        assert f'data-power-device="{unfed.pk}"' not in page
        assert f'data-live-topics="scheduler,pdu:{pdu.pk}"' in page


@pytest.mark.browser
def test_a_switch_shows_on_the_calendar_live(make_user, login_in_browser):
    sim = RaritanServer(outlets=2)
    try:
        operator = make_user("operator")
        pdu = services.create_pdu(operator, name="Bench strip", driver="raritan", address=sim.url,
                                  username="admin", password="secret")
        device = DeviceFactory(name="Scope")
        services.set_outlet(operator, pdu, number=1, device_ids=[device.pk])
        page = login_in_browser(make_user("viewer"))
        errors = watch_console(page)
        page.goto("/scheduler/")
        page.wait_for_selector("#live-status[data-state=live]")
        page.wait_for_selector(f"[data-power-device='{device.pk}'][data-power=unknown]")
        services.switch_outlet(operator, pdu, 1, "on")  # through any door: the API, the admin, the schedule
        page.wait_for_selector(f"[data-power-device='{device.pk}'][data-power=on]")
        assert errors == []
    finally:
        sim.close()
