"""The dashboard in headless Chromium: counts for the role, and one readable line per change, live."""
import pytest

from core.tests.browser import watch_console

pytestmark = pytest.mark.browser


def test_the_dashboard_counts_requests_and_shows_who_did_what_live(make_user, login_in_browser):
    from scheduler import services
    from scheduler.tests.factories import DeviceFactory, at

    device = DeviceFactory(name="Laser cutter")
    mia = make_user("member", username="mia", display_name="Mia")
    services.create_booking(mia, device.pk, at(1, 8), at(1, 9))
    page = login_in_browser(make_user("operator"))
    errors = watch_console(page)
    page.wait_for_selector("#live-status[data-state=live]")
    assert page.inner_text("[data-tile=approvals] .count") == "1"

    booking = services.create_booking(mia, device.pk, at(2, 10), at(2, 12))
    page.wait_for_selector("[data-tile=approvals] .count:text-is('2')")
    lines = page.locator("#activity li").all_inner_texts()
    newest = lines[0]
    assert "Mia requested Laser cutter" in newest and f"{booking.start.day} " in newest and "10:00–12:00" in newest
    # One line per change, however many topics the change was published on.
    assert sum("requested Laser cutter" in line for line in lines) == 2
    assert errors == []


def test_the_feed_is_in_time_order_after_a_reload(make_user, client):
    from scheduler import services
    from scheduler.tests.factories import DeviceFactory, at

    operator = make_user("operator")
    member = make_user("member")
    device = DeviceFactory(name="Scope")
    first = services.create_booking(member, device.pk, at(1, 8), at(1, 9))
    services.approve_booking(operator, first.pk)
    services.cancel_booking(member, first.pk)
    client.force_login(operator)
    page = client.get("/").content.decode()
    feed = page[page.index('id="activity"'):]
    assert feed.index("cancelled Scope") < feed.index("approved Scope") < feed.index("requested Scope")
