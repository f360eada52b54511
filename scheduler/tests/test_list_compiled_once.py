"""The booking list compiles its plain query once, and every other shape of the list still answers right."""
import json

import pytest

from core.api.lean import CompiledOnce
from core.testing import lean_list_unchanged
from scheduler.api.views import BookingViewSet
from scheduler.models import Booking

from .factories import BookingFactory, at


def _compiled_pages():
    plans = BookingViewSet.__dict__.get("_lean_plans", {})
    return sum(len(found.query._lean_compiled) for plan in plans.values()
               for found in vars(plan).get("_plain", {}).values())


@pytest.mark.django_db
def test_pages_filters_orders_and_searches_answer_as_the_serializer_does(client_as):
    client = client_as("viewer")
    for day in range(1, 8):
        BookingFactory(start=at(day, 9), end=at(day, 10), comment=f"calibration{day}x",
                       status=Booking.Status.PENDING if day % 2 else Booking.Status.CONFIRMED)
    urls = [f"/api/scheduler/bookings/?page_size=2{rest}" for rest in (
        "", "&page=2", "&status=pending", "&ordering=-start", "&search=calibration3x", "&page=4",
        "&ordering=-start&page=2", "")]
    answers = [json.loads(lean_list_unchanged(client, url, BookingViewSet)) for url in urls]

    starts = [[row["start"] for row in answer["results"]] for answer in answers]
    assert starts[0] == sorted(starts[0]) and starts[0][0] < starts[1][0]  # pages go on from each other
    assert {row["status"] for row in answers[2]["results"]} == {"pending"}
    assert starts[3] == sorted(starts[3], reverse=True) and starts[3][0] > starts[6][0]
    assert [row["comment"] for row in answers[4]["results"]] == ["calibration3x"]
    assert len(answers[5]["results"]) == 1 and answers[5]["next"] is None
    assert answers[7] == answers[0]
    assert _compiled_pages() >= 3  # the plain pages in both orders were kept compiled


@pytest.mark.django_db
def test_a_plain_query_changed_after_compiling_compiles_again(client_as):
    """A count or a cursor's filter on the remembered query is not answered with the page's SQL."""
    BookingFactory(start=at(1, 9), end=at(1, 10))
    BookingFactory(start=at(2, 9), end=at(2, 10))
    client = client_as("viewer")
    assert client.get("/api/scheduler/bookings/?page_size=1").status_code == 200
    plan = next(iter(BookingViewSet._lean_plans.values()))
    rows = next(iter(plan._plain.values()))._chain()
    assert isinstance(rows.query, CompiledOnce)
    assert rows.count() == 2
    later = rows.filter(start__gte=at(2, 0))
    expected = Booking.objects.filter(start__gte=at(2, 0)).values_list("pk", flat=True)
    assert [row["pk"] for row in later] == list(expected)
    assert len(list(rows[:1])) == 1 and len(list(rows)) == 2
