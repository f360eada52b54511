"""PostgreSQL holds "two confirmed bookings of one device never overlap" even under concurrent approvals."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection, transaction

from core.errors import Conflict
from scheduler import services
from scheduler.models import Booking
from scheduler.services.common import save_checked

from .factories import BookingFactory, DeviceFactory, at

pytestmark = [pytest.mark.full("postgres"), pytest.mark.django_db(transaction=True)]


def test_twenty_concurrent_approvals_of_overlapping_bookings_confirm_exactly_one(make_user):
    operator = make_user("operator")
    device = DeviceFactory(max_holders=50)
    ids = [BookingFactory(device=device, start=at(1, 10, n), end=at(1, 12, n), status="conflicting").pk
           for n in range(20)]
    barrier = threading.Barrier(len(ids))

    def approve(booking_id):
        barrier.wait()  # all twenty start together
        try:
            services.approve_booking(operator, booking_id)
            return "confirmed"
        except Conflict:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(len(ids)) as pool:
        outcomes = list(pool.map(approve, ids))
    assert outcomes.count("confirmed") == 1 and outcomes.count("refused") == 19
    assert Booking.objects.filter(device=device, status="confirmed").count() == 1


def test_the_database_itself_refuses_a_second_overlapping_confirmed_booking():
    device = DeviceFactory()
    BookingFactory(device=device, start=at(1, 10), end=at(1, 12), status="confirmed")
    other = BookingFactory(device=device, start=at(1, 11), end=at(1, 13), status="pending")
    with pytest.raises(IntegrityError, match="booking_confirmed_no_overlap"), transaction.atomic():
        Booking.objects.filter(pk=other.pk).update(status="confirmed")


def test_touching_confirmed_bookings_are_allowed_by_the_constraint():
    device = DeviceFactory()
    BookingFactory(device=device, start=at(1, 10), end=at(1, 12), status="confirmed")
    BookingFactory(device=device, start=at(1, 12), end=at(1, 14), status="confirmed")
    assert Booking.objects.filter(status="confirmed").count() == 2


def test_the_constraint_refusal_becomes_a_409_conflict():
    device = DeviceFactory()
    BookingFactory(device=device, start=at(1, 10), end=at(1, 12), status="confirmed")
    other = BookingFactory(device=device, start=at(1, 11), end=at(1, 13), status="conflicting")
    other.status = "confirmed"
    with pytest.raises(Conflict, match="already has a confirmed booking"), transaction.atomic():
        save_checked(other, ["status"])
