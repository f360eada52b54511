"""Booking from the pages in headless Chromium: click free time, request, see the outcome in place."""
import pytest

from core.tests.browser import watch_console
from scheduler import services
from scheduler.models import Booking

from .factories import BookingFactory, DeviceFactory, at

pytestmark = pytest.mark.browser


def test_a_member_books_by_clicking_a_free_slot_and_sees_it_pending(make_user, login_in_browser):
    device = DeviceFactory(name="Laser cutter")
    colleague = make_user("member", username="mia", display_name="Mia Lund")
    member = make_user("member")
    page = login_in_browser(member)
    errors = watch_console(page)
    day = at(1).date().isoformat()
    page.goto(f"/scheduler/?view=day&day={day}")
    page.wait_for_selector("#live-status[data-state=live]")

    page.click(f"td.free[data-device='{device.pk}'][data-start='{day}T10:00']")
    form = page.wait_for_selector("form.booking-form")
    assert form.query_selector("select[name=device]").input_value() == str(device.pk)
    page.fill("form.booking-form input[name=end]", f"{day}T12:00")
    page.fill("form.booking-form input[name=q]", "Mia")
    page.check(f"#people-found input[value='{colleague.pk}']")
    page.fill("form.booking-form textarea[name=comment]", "cutting panels")
    page.click("form.booking-form button[type=submit]")

    outcome = page.wait_for_selector(".booking-result [data-status=pending]")
    assert "Laser cutter" in outcome.inner_text()
    booking = Booking.objects.get(device=device)
    assert (booking.user, booking.start, booking.end) == (member, at(1, 10), at(1, 12))
    assert list(booking.collaborators.all()) == [colleague]
    # The grid follows the bus event and shows the request where the free slot was.
    page.wait_for_selector(f"#calendar-grid [data-booking='{booking.pk}'][data-status=pending]")
    assert errors == []


def test_a_refused_request_shows_the_service_message_in_the_form(make_user, login_in_browser):
    device = DeviceFactory(name="Confocal", max_minutes=60)
    page = login_in_browser(make_user("member"))
    errors = watch_console(page)
    day = at(1).date().isoformat()
    page.goto(f"/scheduler/?view=day&day={day}")
    page.click(f"td.free[data-device='{device.pk}'][data-start='{day}T09:00']")
    page.fill("form.booking-form input[name=end]", f"{day}T12:00")
    page.click("form.booking-form button[type=submit]")

    refusal = page.wait_for_selector("form.booking-form [data-refusal]")
    assert "60" in refusal.inner_text()
    assert not Booking.objects.exists()
    assert errors == []


def test_an_operator_approves_two_requests_from_the_queue_with_a_reason(make_user, login_in_browser):
    device = DeviceFactory(name="Spectrometer")
    first = BookingFactory(device=device, start=at(1, 9), end=at(1, 10))
    second = BookingFactory(device=device, start=at(2, 9), end=at(2, 10))
    clash_a = BookingFactory(device=device, start=at(3, 9), end=at(3, 11), status=Booking.Status.CONFLICTING)
    clash_b = BookingFactory(device=device, start=at(3, 10), end=at(3, 12), status=Booking.Status.CONFLICTING)
    page = login_in_browser(make_user("operator"))
    errors = watch_console(page)
    page.goto("/scheduler/queue/")
    page.wait_for_selector("#live-status[data-state=live]")

    # The clash is shown beside each of the two conflicting requests.
    assert page.locator(f"[data-booking='{clash_a.pk}'] [data-clash='{clash_b.pk}']").count() == 1
    page.check(f"input[name=booking][value='{first.pk}']")
    page.check(f"input[name=booking][value='{second.pk}']")
    page.fill("#queue input[name=reason]", "training slot")
    page.click("#queue button[value=approve]")

    page.wait_for_selector(f"[data-result='{second.pk}'].ok")
    for booking in (first, second):
        booking.refresh_from_db()
        assert (booking.status, booking.reason) == ("confirmed", "training slot")
    assert page.locator(f"#queue-list [data-booking='{first.pk}']").count() == 0
    assert errors == []


def test_cancelled_and_past_bookings_leave_upcoming(make_user, client):
    member = make_user("member")
    device = DeviceFactory()
    kept = services.create_booking(member, device.pk, at(1, 9), at(1, 10))
    dropped = services.create_booking(member, device.pk, at(2, 9), at(2, 10))
    services.cancel_booking(member, dropped.pk)
    client.force_login(member)
    page = client.get("/scheduler/mine/").content.decode()
    upcoming, earlier = page.split("Past and cancelled")
    assert f'data-booking="{kept.pk}"' in upcoming and f'data-booking="{dropped.pk}"' not in upcoming
    assert f'data-booking="{dropped.pk}"' in earlier


def test_the_calendar_filters_by_device_type_and_my_devices(make_user, client):
    from inventory.tests.factories import DeviceTypeFactory

    member = make_user("member")
    scope_type = DeviceTypeFactory(name="Scope")
    scope = DeviceFactory(name="Scope A", device_type=scope_type)
    cutter = DeviceFactory(name="Cutter B")
    services.add_favourite(member, cutter.pk)
    client.force_login(member)

    def shown(query):
        page = client.get(f"/scheduler/?view=day&{query}").content.decode()
        return {d.name for d in (scope, cutter) if f'/scheduler/devices/{d.pk}/"' in page.split('id="calendar-grid"')[1]
                .split("<table")[1]}

    assert shown("") == {"Scope A", "Cutter B"}
    assert shown(f"type={scope_type.pk}") == {"Scope A"}
    assert shown(f"device={cutter.pk}") == {"Cutter B"}
    assert shown("mine=1") == {"Cutter B"}


def test_extend_and_rebook_from_my_bookings_go_through_the_services(make_user, client):
    member = make_user("member")
    device = DeviceFactory()
    booking = services.create_booking(member, device.pk, at(1, 9), at(1, 10))
    client.force_login(member)
    client.post(f"/scheduler/bookings/{booking.pk}/extend/", {"end": at(1, 11).strftime("%Y-%m-%dT%H:%M")})
    booking.refresh_from_db()
    assert booking.end == at(1, 11)
    client.post(f"/scheduler/bookings/{booking.pk}/rebook/", {"on": at(3).date().isoformat()})
    again = Booking.objects.exclude(pk=booking.pk).get()
    assert (again.start, again.end, again.user) == (at(3, 9), at(3, 11), member)


def test_a_refused_extension_is_shown_with_the_service_message(make_user, client):
    member = make_user("member")
    device = DeviceFactory()
    booking = services.create_booking(member, device.pk, at(1, 9), at(1, 10))
    client.force_login(member)
    page = client.post(f"/scheduler/bookings/{booking.pk}/extend/", {"end": at(1, 9, 30).strftime("%Y-%m-%dT%H:%M")},
                       follow=True).content.decode()
    assert "must be after the current end" in page


def test_dragging_over_free_hours_opens_the_form_for_all_of_them(make_user, login_in_browser):
    device = DeviceFactory(name="Furnace")
    page = login_in_browser(make_user("member"))
    errors = watch_console(page)
    day = at(1).date().isoformat()
    page.goto(f"/scheduler/?view=day&day={day}")
    first = page.locator(f"td.free[data-device='{device.pk}'][data-start='{day}T10:00']").bounding_box()
    last = page.locator(f"td.free[data-device='{device.pk}'][data-start='{day}T12:00']").bounding_box()
    page.mouse.move(first["x"] + 5, first["y"] + 5)
    page.mouse.down()
    page.mouse.move(last["x"] + 5, last["y"] + 5, steps=5)
    page.mouse.up()
    page.wait_for_selector("form.booking-form")
    assert page.input_value("form.booking-form input[name=start]") == f"{day}T10:00"
    assert page.input_value("form.booking-form input[name=end]") == f"{day}T13:00"
    assert errors == []


def test_without_javascript_the_form_and_its_refusal_come_inside_the_calendar(make_user, client):
    device = DeviceFactory(name="Kiln", max_minutes=30)
    client.force_login(make_user("member"))
    page = client.get(f"/scheduler/book/?device={device.pk}&start={at(1).date().isoformat()}T10:00")
    assert page.status_code == 200 and 'id="calendar-grid"' in page.content.decode()
    refused = client.post("/scheduler/book/", {"device": device.pk, "start": at(1, 10).strftime("%Y-%m-%dT%H:%M"),
                                               "end": at(1, 12).strftime("%Y-%m-%dT%H:%M")})
    html = refused.content.decode()
    assert refused.status_code == 400 and "data-refusal" in html and 'id="calendar-grid"' in html


def test_cancelling_asks_first_and_the_booking_leaves_upcoming(make_user, login_in_browser):
    member = make_user("member")
    booking = services.create_booking(member, DeviceFactory(name="Lathe").pk, at(1, 9), at(1, 10))
    page = login_in_browser(member)
    errors = watch_console(page)
    page.goto("/scheduler/mine/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click(f"tr[data-booking='{booking.pk}'] button:text('Cancel')")
    assert asked and "Lathe" in asked[0]
    booking.refresh_from_db()
    assert booking.status == "pending"  # dismissed: nothing happened

    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"tr[data-booking='{booking.pk}'] button:text('Cancel')")
    page.wait_for_selector(".messages .success")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    upcoming = page.inner_text("table.stack >> nth=0")
    assert "Lathe" not in upcoming
    assert errors == []
