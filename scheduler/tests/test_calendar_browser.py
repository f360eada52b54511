"""The week calendar in headless Chromium: an operator sees a booking, approves it, and sees new ones live."""
import pytest

from .factories import BookingFactory, DeviceFactory, at

pytestmark = pytest.mark.browser

CREATE_BOOKING = """async ([device, start, end]) => {
  const csrf = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
  const response = await fetch('/api/scheduler/bookings/', {method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
    body: JSON.stringify({device: device, start: start, end: end})});
  return [response.status, await response.json()];
}"""


def test_operator_approves_a_booking_and_sees_a_new_one_arrive_live(make_user, login_in_browser):
    device = DeviceFactory(name="Confocal")
    booking = BookingFactory(device=device, start=at(1, 10), end=at(1, 12))
    page = login_in_browser(make_user("operator"))
    page.goto(f"/scheduler/?week={at(1).date().isoformat()}")
    page.wait_for_selector("#live-status[data-state=live]")

    pending = page.locator(f"[data-booking='{booking.pk}']")
    assert pending.get_attribute("data-status") == "pending"
    pending.get_by_role("button", name="Approve").click()
    page.wait_for_selector(f"[data-booking='{booking.pk}'][data-status=confirmed]")

    status, created = page.evaluate(CREATE_BOOKING, [device.pk, at(1, 14).isoformat(), at(1, 15).isoformat()])
    assert status == 201, created
    page.wait_for_selector(f"[data-booking='{created['id']}'][data-status=pending]")
