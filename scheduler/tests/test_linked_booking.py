"""A device that books its linked devices: a plain request for it books them as one group, through
the API and the booking page alike, and a clash on a linked device refuses the whole group."""
import pytest

from inventory.tests.factories import DeviceTypeFactory
from scheduler.models import Booking

from .factories import BookingFactory, DeviceFactory, MaintenanceWindowFactory, at, linked

PORTS = [{"name": f"p{n}"} for n in range(1, 5)]


@pytest.fixture
def rig(db):
    """A radio that needs its switch and antenna (cabled to ports p1, p2); a server on the switch is not needed."""
    kind = DeviceTypeFactory(ports=PORTS)
    d = {name: DeviceFactory(name=name, device_type=kind) for name in ("Radio", "Switch", "Antenna", "Server")}
    d["Radio"].books_linked_devices = True
    d["Radio"].save()
    linked(d["Radio"], "p1", d["Switch"], "p1")
    linked(d["Radio"], "p2", d["Antenna"], "p1", "coax")
    linked(d["Switch"], "p2", d["Server"], "p1", "copper")
    return d


def local(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_api_books_the_linked_devices_as_one_group(client_as, rig):
    answer = client_as("member").post("/api/scheduler/bookings/", {
        "device": rig["Radio"].pk, "start": at(1, 10).isoformat(), "end": at(1, 12).isoformat()}, format="json")
    assert answer.status_code == 201, answer.data
    assert answer.data["group_id"] and sorted(b["device_name"] for b in answer.data["bookings"]) == \
        ["Antenna", "Radio", "Switch"]
    assert len({b.group_id for b in Booking.objects.all()}) == 1 and Booking.objects.count() == 3


def test_a_device_without_the_flag_is_booked_alone(client_as, rig):
    answer = client_as("member").post("/api/scheduler/bookings/", {
        "device": rig["Switch"].pk, "start": at(1, 10).isoformat(), "end": at(1, 12).isoformat()}, format="json")
    assert answer.status_code == 201 and answer.data["device_name"] == "Switch" and Booking.objects.count() == 1


def test_a_clash_on_a_linked_device_refuses_the_whole_group_through_the_api(client_as, rig):
    taken = BookingFactory(device=rig["Antenna"], start=at(1, 11), end=at(1, 13), status="confirmed")
    answer = client_as("member").post("/api/scheduler/bookings/", {
        "device": rig["Radio"].pk, "start": at(1, 10).isoformat(), "end": at(1, 12).isoformat()}, format="json")
    assert answer.status_code == 409
    assert "Antenna" in answer.data["detail"] and f"booking #{taken.pk}" in answer.data["detail"]
    assert "Nothing was booked" in answer.data["detail"] and Booking.objects.count() == 1


def test_maintenance_on_a_linked_device_refuses_the_group(client_as, rig):
    MaintenanceWindowFactory(device=rig["Switch"], start=at(1, 8), end=at(1, 11), reason="firmware")
    answer = client_as("member").post("/api/scheduler/bookings/", {
        "device": rig["Radio"].pk, "start": at(1, 10).isoformat(), "end": at(1, 12).isoformat()}, format="json")
    assert answer.status_code == 409 and "Switch" in answer.data["detail"] and "maintenance" in answer.data["detail"]
    assert not Booking.objects.exists()


def test_the_booking_form_shows_the_linked_devices_and_books_the_group(client, make_user, rig):
    client.force_login(make_user("member"))
    form = client.get("/scheduler/book/", {"device": rig["Radio"].pk, "start": local(at(1, 10))},
                      HTTP_HX_REQUEST="true").content.decode()
    note = form[form.index('id="linked-hint"'):form.index("<fieldset>")]
    assert "data-linked-devices" in note and "Switch" in note and "Antenna" in note and "Server" not in note
    hint = client.get("/scheduler/book/linked/", {"device": rig["Switch"].pk}).content.decode()
    assert "data-linked-devices" not in hint
    answer = client.post("/scheduler/book/", {"device": rig["Radio"].pk, "start": local(at(1, 10)),
                                              "end": local(at(1, 12))}, HTTP_HX_REQUEST="true").content.decode()
    assert answer.count("data-booking=") == 3 and "Antenna" in answer and "Switch" in answer
    assert Booking.objects.count() == 3


def test_the_device_page_names_the_devices_booked_with_it(client, make_user, rig):
    client.force_login(make_user("viewer"))
    page = client.get(f"/scheduler/devices/{rig['Radio'].pk}/").content.decode()
    assert "booked with it, as one request" in page and "Antenna</a> (port p2)" in page
    assert "booked on their own" in client.get(f"/scheduler/devices/{rig['Switch'].pk}/").content.decode()


def test_the_booking_form_shows_a_linked_clash_in_place(client, make_user, rig):
    BookingFactory(device=rig["Switch"], start=at(1, 9), end=at(1, 11), status="pending")
    client.force_login(make_user("member"))
    answer = client.post("/scheduler/book/", {"device": rig["Radio"].pk, "start": local(at(1, 10)),
                                              "end": local(at(1, 12))}, HTTP_HX_REQUEST="true")
    page = answer.content.decode()
    assert answer.status_code == 200 and "data-refusal" in page and "also needs Switch" in page
    assert Booking.objects.count() == 1


def test_a_repeating_request_books_the_linked_devices_for_each_occurrence(client_as, rig):
    BookingFactory(device=rig["Antenna"], start=at(2, 10), end=at(2, 11), status="confirmed")
    answer = client_as("member").post("/api/scheduler/series/", {
        "device": rig["Radio"].pk, "start": at(1, 10).isoformat(), "end": at(1, 12).isoformat(),
        "rrule": "FREQ=DAILY;COUNT=3"}, format="json")
    assert answer.status_code == 201, answer.data
    assert len(answer.data["booked"]) == 2 and len(answer.data["refused"]) == 1
    assert "Antenna" in answer.data["refused"][0]["detail"]
    radio = Booking.objects.filter(device=rig["Radio"]).order_by("start")
    assert radio.count() == 2 and all(b.series_id for b in radio)
    for booking in radio:
        group = Booking.objects.filter(group_id=booking.group_id)
        assert sorted(b.device.name for b in group) == ["Antenna", "Radio", "Switch"]


@pytest.mark.browser
def test_choosing_a_device_on_the_form_shows_what_it_books_with_it(make_user, login_in_browser, rig):
    from core.tests.browser import watch_console

    page = login_in_browser(make_user("member"))
    errors = watch_console(page)
    day = at(1).date().isoformat()
    page.goto(f"/scheduler/?view=day&day={day}")
    page.wait_for_selector("#live-status[data-state=live]")
    page.click(f"td.free[data-device='{rig['Server'].pk}'][data-start='{day}T10:00']")
    page.wait_for_selector("form.booking-form")
    assert page.locator("#linked-hint [data-linked-devices]").count() == 0
    page.select_option("form.booking-form select[name=device]", str(rig["Radio"].pk))
    page.wait_for_selector(f"#linked-hint [data-linked='{rig['Antenna'].pk}']")
    page.click("form.booking-form button[type=submit]")
    page.wait_for_selector(".booking-result [data-booking] >> nth=2")
    assert page.locator(".booking-result [data-booking]").count() == 3
    assert Booking.objects.filter(device=rig["Antenna"]).count() == 1 and errors == []
