"""Device page in headless Chromium: an operator switches an outlet, and a switch made elsewhere shows up live."""
import pytest

from core.tests.browser import watch_console
from scheduler import services
from scheduler.power.simulators import RaritanServer

from .factories import DeviceFactory

pytestmark = pytest.mark.browser


def test_operator_switches_an_outlet_and_sees_another_switch_live(make_user, login_in_browser):
    sim = RaritanServer(outlets=2)
    try:
        operator = make_user("operator")
        pdu = services.create_pdu(operator, name="Bench strip", driver="raritan", address=sim.url,
                                  username="admin", password="secret")
        device = DeviceFactory(name="Scope")
        services.set_outlet(operator, pdu, number=1, device_ids=[device.pk])
        page = login_in_browser(operator)
        errors = watch_console(page)
        page.goto(f"/scheduler/devices/{device.pk}/")
        page.wait_for_selector("#live-status[data-state=live]")
        state = f"[data-outlet-state='{pdu.pk}-1']"
        assert page.locator(state).text_content() == "unknown"
        page.get_by_role("button", name="On").click()
        page.wait_for_selector(f"{state}[data-state=on]")
        page.wait_for_selector("#live-status[data-state=live]")
        services.switch_outlet(operator, pdu, 1, "off")  # another door: the API, admin or the schedule
        page.wait_for_selector(f"{state}[data-state=off]")
        assert sim.states[0] == 0 and errors == []
    finally:
        sim.close()
