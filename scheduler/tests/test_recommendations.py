"""Recommendations: ranking equivalent devices by availability, 90-day history and fit; free slots and forecast."""
from datetime import timedelta

import pytest

from inventory.tests.factories import DeviceTypeFactory
from scheduler.models import Booking
from scheduler.queries_recommend import recommend

from .factories import BookingFactory, DeviceFactory, MaintenanceWindowFactory, at

URL = "/api/scheduler/recommendations/"


@pytest.fixture
def scopes(db):
    kind = DeviceTypeFactory(name="Oscilloscope")
    return kind, {n: DeviceFactory(name=n, device_type=kind) for n in ("A", "B", "C")}


def q(when):
    return when.isoformat().replace("+", "%2B")


@pytest.mark.django_db
def test_a_taken_device_ranks_below_free_ones_and_its_earliest_slot_follows_the_booking(client_as, scopes):
    kind, d = scopes
    held = BookingFactory(device=d["A"], start=at(2, 9), end=at(2, 13), status=Booking.Status.CONFIRMED)
    BookingFactory(device=d["A"], start=at(2, 9), end=at(2, 13))  # a second holder: A is full
    MaintenanceWindowFactory(device=d["C"], start=at(2, 8), end=at(2, 18))
    response = client_as("viewer").get(f"{URL}?type={kind.name}&start={q(at(2, 10))}&end={q(at(2, 12))}")
    assert response.status_code == 200, response.data
    ranked = response.data["devices"]
    assert [r["device_name"] for r in ranked] == ["B", "A", "C"]
    assert [r["availability"] for r in ranked] == [1.0, 0.0, 0.0]
    a = ranked[1]
    assert a["earliest_free"]["start"] == held.end and a["earliest_free"]["end"] == held.end + timedelta(hours=2)
    assert ranked[2]["earliest_free"]["start"] == at(2, 18)
    assert len(a["forecast"]) == 14
    day = next(f for f in a["forecast"] if f["date"] == at(2, 0).date())
    assert day["free"] == round(1 - 4 / 24, 3)


@pytest.mark.django_db
def test_history_lowers_a_device_that_is_often_rejected(scopes):
    kind, d = scopes
    for days_ago in (5, 10, 20, 30):
        BookingFactory(device=d["A"], start=at(-days_ago, 10), end=at(-days_ago, 11), status=Booking.Status.REJECTED)
        BookingFactory(device=d["B"], start=at(-days_ago, 10), end=at(-days_ago, 11), status=Booking.Status.CONFIRMED)
    BookingFactory(device=d["C"], start=at(-120, 10), end=at(-120, 11), status=Booking.Status.REJECTED)  # too old
    ranked = recommend(kind, at(3, 10), at(3, 12))["devices"]
    by_name = {r["device_name"]: r for r in ranked}
    assert [r["device_name"] for r in ranked] == ["B", "C", "A"]
    assert (by_name["A"]["reliability"]["confirmed_rate"], by_name["A"]["reliability"]["conflict_rate"]) == (0, 1)
    assert by_name["B"]["reliability"]["score"] == 1.0 and by_name["C"]["reliability"]["bookings"] == 0


@pytest.mark.django_db
def test_policy_breaks_lower_the_fit(scopes):
    kind, d = scopes
    d["B"].max_minutes = 60
    d["B"].requires_qualification = True
    d["B"].save()
    by_name = {r["device_name"]: r for r in recommend(kind, at(3, 10), at(3, 12))["devices"]}
    assert by_name["B"]["fit"] == 0.5 and len(by_name["B"]["policy_issues"]) == 2


@pytest.mark.django_db
def test_bad_questions_get_a_400_naming_the_parameter(client_as, scopes):
    viewer = client_as("viewer")
    unknown = viewer.get(f"{URL}?type=Toaster&start={q(at(2, 10))}&end={q(at(2, 12))}")
    assert unknown.status_code == 400 and "type" in unknown.data["fields"]
    missing = viewer.get(f"{URL}?type=Oscilloscope")
    assert missing.status_code == 400 and "start" in missing.data["fields"]
    backwards = viewer.get(f"{URL}?type=Oscilloscope&start={q(at(2, 12))}&end={q(at(2, 10))}")
    assert backwards.status_code == 400


@pytest.mark.django_db
def test_the_booking_form_offers_free_devices_of_the_same_type_when_the_asked_one_is_taken(client, make_user,
                                                                                           scopes):
    kind, d = scopes
    d["A"].max_holders = 1
    d["A"].save()
    BookingFactory(device=d["A"], start=at(1, 9), end=at(1, 13), status=Booking.Status.CONFIRMED)
    BookingFactory(device=d["C"], start=at(1, 11), end=at(1, 12))
    client.force_login(make_user("member"))
    refused = client.post("/scheduler/book/", {"device": d["A"].pk, "start": at(1, 10).strftime("%Y-%m-%dT%H:%M"),
                                               "end": at(1, 12).strftime("%Y-%m-%dT%H:%M")}, HTTP_HX_REQUEST="true")
    html = refused.content.decode()
    assert "data-refusal" in html and "Free instead at that time" in html
    assert f'data-alternative="{d["B"].pk}"' in html
    assert f'data-alternative="{d["C"].pk}"' not in html and f'data-alternative="{d["A"].pk}"' not in html
