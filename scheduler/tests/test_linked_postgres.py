"""PostgreSQL: requests racing for devices that share a linked device book it for exactly one group."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from core.errors import Conflict
from inventory.tests.factories import DeviceTypeFactory
from scheduler import services
from scheduler.models import Booking

from .factories import DeviceFactory, at, linked

pytestmark = [pytest.mark.full("postgres"), pytest.mark.django_db(transaction=True)]


def test_ten_racing_requests_through_a_shared_antenna_book_one_whole_group(make_user):
    kind = DeviceTypeFactory(ports=[{"name": "p1"}, {"name": "p2"}])
    antenna = DeviceFactory(name="Antenna", device_type=kind, auto_approve=True)
    radios = [DeviceFactory(name=f"Radio {n}", device_type=kind, books_linked_devices=True, auto_approve=True)
              for n in (1, 2)]
    linked(radios[0], "p1", antenna, "p1", "coax")
    linked(radios[1], "p1", antenna, "p2", "coax")
    people = [make_user("member") for _ in range(10)]
    barrier = threading.Barrier(len(people))

    def request(n):
        barrier.wait()  # all ten start together
        try:
            services.create_booking(people[n], radios[n % 2].pk, at(1, 10), at(1, 12))
            return "booked"
        except Conflict as exc:
            assert "Antenna" in exc.detail or "Radio" in exc.detail
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(len(people)) as pool:
        outcomes = list(pool.map(request, range(len(people))))
    assert outcomes.count("booked") == 1, outcomes
    booked = list(Booking.objects.all())
    assert len(booked) == 2 and len({b.group_id for b in booked}) == 1 and len({b.user_id for b in booked}) == 1
    assert {b.device_id for b in booked} >= {antenna.pk}
