"""Requesting bookings through the API: the server decides the status, overlaps, cap, maintenance, policy."""
from datetime import timedelta

import pytest

from core.models import AuditEntry, Event
from scheduler.models import Booking

from .factories import BookingFactory, DeviceFactory, MaintenanceWindowFactory, at

URL = "/api/scheduler/bookings/"


def book(client, device, start, end, **extra):
    return client.post(URL, {"device": device.pk, "start": start.isoformat(), "end": end.isoformat(), **extra},
                       format="json")


@pytest.fixture
def member(client_as):
    return client_as("member")


@pytest.mark.django_db
def test_a_free_slot_is_pending_for_the_logged_in_user_whatever_the_body_says(member, make_user):
    device, someone = DeviceFactory(), make_user("member")
    response = book(member, device, at(1, 10), at(1, 12), status="confirmed", user=someone.pk, decided_by=someone.pk)
    assert response.status_code == 201, response.data
    booking = Booking.objects.get(pk=response.data["id"])
    assert (booking.status, booking.user, booking.decided_by) == ("pending", member.user, None)


@pytest.mark.django_db
def test_a_request_is_audited_and_published_on_calendar_device_and_user_topics(member):
    device = DeviceFactory()
    booking_id = book(member, device, at(1, 10), at(1, 12)).data["id"]
    assert AuditEntry.objects.filter(action="booking.create", object_id=str(booking_id)).exists()
    topics = set(Event.objects.filter(type="booking.requested").values_list("topic", flat=True))
    assert topics == {"scheduler", f"device:{device.pk}", f"user:{member.user.pk}"}


@pytest.mark.django_db
def test_auto_approval_confirms_a_free_slot_at_once(member):
    device = DeviceFactory(auto_approve=True)
    assert book(member, device, at(1, 10), at(1, 12)).data["status"] == "confirmed"


@pytest.mark.django_db
def test_a_taken_slot_makes_both_requests_conflicting(member):
    device = DeviceFactory()
    first = BookingFactory(device=device, start=at(1, 10), end=at(1, 12))
    response = book(member, device, at(1, 11), at(1, 13))
    assert response.data["status"] == "conflicting"
    first.refresh_from_db()
    assert first.status == "conflicting"


@pytest.mark.django_db
def test_touching_bookings_do_not_overlap(member):
    device = DeviceFactory()
    BookingFactory(device=device, start=at(1, 10), end=at(1, 12))
    assert book(member, device, at(1, 12), at(1, 14)).data["status"] == "pending"


@pytest.mark.django_db
def test_a_request_beyond_the_holder_cap_is_refused_naming_the_clash(member):
    device = DeviceFactory(max_holders=2)
    a = BookingFactory(device=device, start=at(1, 10), end=at(1, 12), status="confirmed")
    b = BookingFactory(device=device, start=at(1, 11), end=at(1, 13))
    response = book(member, device, at(1, 11), at(1, 12))
    assert response.status_code == 409
    assert f"#{a.pk}" in response.data["detail"] and f"#{b.pk}" in response.data["detail"]
    assert {c["id"] for c in response.data["clashes"]} == {a.pk, b.pk}
    assert not Booking.objects.filter(user=member.user).exists()


@pytest.mark.django_db
def test_two_holders_that_never_meet_leave_room_for_a_third(member):
    device = DeviceFactory(max_holders=2)
    BookingFactory(device=device, start=at(1, 9), end=at(1, 11))
    BookingFactory(device=device, start=at(1, 12), end=at(1, 14))
    assert book(member, device, at(1, 10), at(1, 13)).status_code == 201


@pytest.mark.django_db
def test_booking_the_same_slot_twice_is_refused(member):
    device = DeviceFactory()
    assert book(member, device, at(1, 10), at(1, 12)).status_code == 201
    assert book(member, device, at(1, 11), at(1, 12)).status_code == 409


def admin_device_form(client, device) -> tuple[dict, str]:
    """The device's admin change form as the page would post it back, and the prefix of its windows' forms."""
    page = client.get(f"/admin/scheduler/device/{device.pk}/change/")
    data = {name: value for name, value in page.context["adminform"].form.initial.items()
            if value is not None and name != "qualified_users"}
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    windows = list(device.maintenance_windows.order_by("start"))
    data.update({f"{prefix}-TOTAL_FORMS": len(windows), f"{prefix}-INITIAL_FORMS": len(windows),
                 f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    for index, window in enumerate(windows):
        data.update({f"{prefix}-{index}-id": window.pk, f"{prefix}-{index}-device": device.pk})
    return data, prefix


@pytest.mark.django_db
def test_a_device_with_maintenance_windows_is_edited_in_the_admin(client, make_user):
    device = DeviceFactory()
    MaintenanceWindowFactory(device=device)
    client.force_login(make_user("operator"))
    data, _ = admin_device_form(client, device)
    data["max_holders"] = 3
    assert client.post(f"/admin/scheduler/device/{device.pk}/change/", data).status_code == 302
    device.refresh_from_db()
    assert device.max_holders == 3 and device.maintenance_windows.count() == 1


@pytest.mark.django_db
def test_maintenance_called_off_through_the_api_or_the_admin_frees_the_slot(member, client_as, client, make_user):
    device = DeviceFactory()
    first = MaintenanceWindowFactory(device=device, start=at(1, 8), end=at(1, 11), reason="laser alignment")
    MaintenanceWindowFactory(device=device, start=at(2, 8), end=at(2, 11), reason="recoat mirrors")
    url = f"/api/scheduler/devices/{device.pk}/maintenance/"
    assert [w["reason"] for w in client_as("viewer").get(url).data["results"]] == ["laser alignment",
                                                                                  "recoat mirrors"]
    assert member.delete(f"{url}{first.pk}/").status_code == 403
    assert client_as("operator").delete(f"{url}{first.pk}/").status_code == 204
    assert client_as("operator").delete(f"{url}{first.pk}/").status_code == 404
    assert book(member, device, at(1, 9), at(1, 10)).status_code == 201

    client.force_login(make_user("operator"))
    admin_url = f"/admin/scheduler/device/{device.pk}/change/"
    data, prefix = admin_device_form(client, device)
    data[f"{prefix}-0-DELETE"] = "on"  # the one left: the second window
    assert client.post(admin_url, data).status_code == 302
    assert not device.maintenance_windows.exists()
    assert book(member, device, at(2, 9), at(2, 10)).status_code == 201
    assert AuditEntry.objects.filter(action="device.maintenance_cancel").count() == 2
    assert Event.objects.filter(type="device.maintenance_cancelled", topic="scheduler").count() == 2


@pytest.mark.django_db
def test_maintenance_refuses_with_409_naming_the_window(member):
    device = DeviceFactory()
    MaintenanceWindowFactory(device=device, start=at(1, 8), end=at(1, 11), reason="laser alignment")
    response = book(member, device, at(1, 10), at(1, 12))
    assert response.status_code == 409
    assert "laser alignment" in response.data["detail"]
    assert response.data["clashes"][0]["type"] == "maintenance"


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["maintenance", "unavailable"])
def test_a_device_out_of_service_cannot_be_booked(member, status):
    response = book(member, DeviceFactory(status=status), at(1, 10), at(1, 12))
    assert response.status_code == 409 and status in response.data["detail"].replace("in maintenance", "maintenance")


@pytest.mark.django_db
@pytest.mark.parametrize(("policy", "start", "end", "rule"), [
    ({"max_minutes": 60}, at(1, 10), at(1, 12), "max_length"),
    ({"min_minutes": 180}, at(1, 10), at(1, 12), "min_length"),
    ({"max_days_ahead": 3}, at(5, 10), at(5, 12), "max_days_ahead"),
    ({"requires_qualification": True}, at(1, 10), at(1, 12), "qualification"),
    ({}, at(-1, 10), at(-1, 12), "in_past"),
    ({}, at(1, 10), at(40, 12), "max_length"),
])
def test_a_policy_violation_is_400_with_the_rule_named(member, policy, start, end, rule):
    response = book(member, DeviceFactory(**policy), start, end)
    assert response.status_code == 400
    assert (response.data["error"], response.data["rule"]) == ("policy_violation", rule)


@pytest.mark.django_db
def test_the_daily_cap_counts_what_the_user_already_holds_that_day(member):
    device = DeviceFactory(max_hours_per_day=3)
    assert book(member, device, at(1, 8), at(1, 10)).status_code == 201
    response = book(member, device, at(1, 12), at(1, 14))
    assert (response.status_code, response.data["rule"]) == (400, "daily_cap")
    assert book(member, device, at(2, 12), at(2, 14)).status_code == 201


@pytest.mark.django_db
def test_a_qualified_user_may_book_a_device_that_needs_it(member):
    device = DeviceFactory(requires_qualification=True)
    device.qualified_users.add(member.user)
    assert book(member, device, at(1, 10), at(1, 12)).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("body", [
    {"start": "tomorrow", "end": "2030-01-01T10:00:00Z"},
    {"device": 1, "devices": [1], "start": "2030-01-01T10:00:00Z", "end": "2030-01-01T11:00:00Z"},
    {"start": "2030-01-01T10:00:00Z", "end": "2030-01-01T11:00:00Z"},
    {"device": 1, "start": "2030-01-01T12:00:00Z", "end": "2030-01-01T11:00:00Z"},
])
def test_bad_input_is_a_400_with_a_message(member, body):
    DeviceFactory()
    response = member.post(URL, body, format="json")
    assert response.status_code == 400 and response.data["detail"]


@pytest.mark.django_db
def test_an_unknown_device_is_404(member):
    assert book(member, type("D", (), {"pk": 999999})(), at(1, 10), at(1, 12)).status_code == 404


@pytest.mark.django_db
def test_a_group_request_books_every_device_under_one_group_id(member):
    a, b = DeviceFactory(), DeviceFactory()
    response = member.post(URL, {"devices": [a.pk, b.pk], "start": at(1, 10).isoformat(),
                                 "end": at(1, 12).isoformat()}, format="json")
    assert response.status_code == 201
    assert len({x["group_id"] for x in response.data["bookings"]}) == 1 and response.data["group_id"]


@pytest.mark.django_db
def test_a_group_is_refused_whole_when_one_device_is_in_maintenance(member):
    a, b = DeviceFactory(), DeviceFactory()
    MaintenanceWindowFactory(device=b, start=at(1, 9), end=at(1, 18))
    response = member.post(URL, {"devices": [a.pk, b.pk], "start": at(1, 10).isoformat(),
                                 "end": at(1, 12).isoformat()}, format="json")
    assert response.status_code == 409
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_collaborators_see_the_booking_and_unknown_ones_are_refused(member, make_user):
    device, friend = DeviceFactory(), make_user("member")
    response = book(member, device, at(1, 10), at(1, 12), collaborators=[friend.pk])
    assert response.data["collaborators"] == [friend.pk]
    assert book(member, device, at(2, 10), at(2, 12), collaborators=[987654]).status_code == 400


@pytest.mark.django_db
def test_the_list_filters_by_user_device_status_and_range(member):
    device, other = DeviceFactory(), DeviceFactory()
    mine = BookingFactory(device=device, user=member.user, start=at(1, 10), end=at(1, 11))
    theirs = BookingFactory(device=other, start=at(3, 10), end=at(3, 11), status="confirmed")
    ids = lambda **q: [b["id"] for b in member.get(URL, q).data["results"]]  # noqa: E731
    assert ids(user="me") == [mine.pk]
    assert ids(device=device.pk) == [mine.pk]
    assert ids(status="pending") == [mine.pk]
    assert ids(**{"from": at(2, 0).isoformat(), "to": at(4, 0).isoformat()}) == [theirs.pk]
    assert member.get(URL, {"status": "bogus"}).status_code == 400


@pytest.mark.django_db
def test_check_conflicts_reports_clashes_per_device_and_day(member):
    device = DeviceFactory()
    booking = BookingFactory(device=device, start=at(1, 22), end=at(2, 2))
    MaintenanceWindowFactory(device=device, start=at(2, 8), end=at(2, 9))
    response = member.post("/api/scheduler/check-conflicts/", {"items": [
        {"device": device.pk, "start": at(1, 20).isoformat(), "end": at(2, 10).isoformat()}]}, format="json")
    assert response.status_code == 200
    report = response.data["devices"][0]
    assert report["free"] is False
    day1, day2 = report["days"]
    assert [c["id"] for c in day1["clashes"]] == [booking.pk]
    assert [c["type"] for c in day2["clashes"]] == ["booking", "maintenance"]


@pytest.mark.django_db
def test_availability_lists_busy_intervals_and_maintenance(member):
    device = DeviceFactory()
    booking = BookingFactory(device=device, start=at(1, 10), end=at(1, 12))
    BookingFactory(device=device, start=at(1, 13), end=at(1, 14), status="cancelled")
    MaintenanceWindowFactory(device=device, start=at(1, 15), end=at(1, 16))
    response = member.get(f"/api/scheduler/devices/{device.pk}/availability/",
                          {"from": at(1, 0).isoformat(), "to": at(2, 0).isoformat()})
    assert [b["booking"] for b in response.data["busy"]] == [booking.pk]
    assert len(response.data["maintenance"]) == 1
    assert member.get(f"/api/scheduler/devices/{device.pk}/availability/", {"from": "x"}).status_code == 400


@pytest.mark.django_db
def test_devices_filter_by_free_between(member):
    busy, free = DeviceFactory(), DeviceFactory()
    BookingFactory(device=busy, start=at(1, 10), end=at(1, 12))
    response = member.get("/api/scheduler/devices/", {"free_from": at(1, 11).isoformat(),
                                                      "free_to": (at(1, 11) + timedelta(hours=1)).isoformat()})
    assert [d["id"] for d in response.data["results"]] == [free.pk]
