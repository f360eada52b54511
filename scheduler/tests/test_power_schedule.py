"""Scheduled outlets follow running confirmed bookings, reference counted across devices sharing an outlet."""
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.models import AuditEntry
from scheduler import services, tasks
from scheduler.models import Booking, Outlet
from scheduler.power.simulators import RaritanServer

from .factories import BookingFactory, DeviceFactory


@pytest.fixture
def shared_outlet(db):
    sim = RaritanServer(outlets=2)
    operator = UserFactory(role="operator")
    pdu = services.create_pdu(operator, name="Bench strip", driver="raritan", address=sim.url,
                              username="admin", password="secret")
    scope, generator = DeviceFactory(name="Scope"), DeviceFactory(name="Generator")
    services.set_outlet(operator, pdu, number=1, mode="scheduled", device_ids=[scope.pk, generator.pk])
    yield sim, scope, generator
    sim.close()


def confirmed(device, start, end):
    return BookingFactory(device=device, status=Booking.Status.CONFIRMED, start=start, end=end)


def outlet_state():
    return Outlet.objects.get(number=1, pdu__name="Bench strip").state


@pytest.mark.django_db
def test_overlapping_bookings_keep_the_outlet_on_until_the_last_ends_even_after_a_cancel(shared_outlet):
    sim, scope, generator = shared_outlet
    now = timezone.now()
    first = confirmed(scope, now - timedelta(minutes=30), now + timedelta(hours=1))
    second = confirmed(generator, now - timedelta(minutes=10), now + timedelta(hours=2))
    assert services.apply_power_schedule(now) == {"switched": 1, "failed": 0}
    assert outlet_state() == "on" and sim.states[0] == 1
    # The first holder cancels in the middle: the second still needs the power.
    services.cancel_booking(first.user, first, "done early")
    assert services.apply_power_schedule() == {"switched": 0, "failed": 0}
    assert outlet_state() == "on" and sim.states[0] == 1
    # Past the first booking's planned end the second still runs.
    assert services.apply_power_schedule(now + timedelta(minutes=90))["switched"] == 0
    # Once the second ends, nobody needs it: off.
    assert services.apply_power_schedule(second.end + timedelta(minutes=1)) == {"switched": 1, "failed": 0}
    assert outlet_state() == "off" and sim.states[0] == 0
    assert AuditEntry.objects.filter(action="outlet.off", changes__why="schedule").exists()


@pytest.mark.django_db
def test_cancelling_the_only_running_booking_switches_off_through_the_task(shared_outlet):
    sim, scope, generator = shared_outlet
    now = timezone.now()
    only = confirmed(scope, now - timedelta(minutes=5), now + timedelta(hours=1))
    later = confirmed(generator, now + timedelta(hours=3), now + timedelta(hours=4))
    tasks.apply_power_schedule.delay([scope.pk])
    assert outlet_state() == "on"
    services.cancel_booking(only.user, only, "")
    tasks.apply_power_schedule.delay([scope.pk])
    assert outlet_state() == "off" and sim.states[0] == 0
    assert services.apply_power_schedule(later.start + timedelta(minutes=1))["switched"] == 1
    assert outlet_state() == "on"


@pytest.mark.django_db
def test_a_pending_booking_does_not_power_the_outlet(shared_outlet):
    sim, scope, _ = shared_outlet
    now = timezone.now()
    BookingFactory(device=scope, status=Booking.Status.PENDING, start=now - timedelta(minutes=5),
                   end=now + timedelta(hours=1))
    services.apply_power_schedule(now)
    assert outlet_state() == "off" and sim.states[0] == 0


@pytest.mark.django_db
def test_a_failing_pdu_is_counted_and_the_record_kept(shared_outlet, settings):
    sim, scope, _ = shared_outlet
    settings.SCHEDULER_PDU_TIMEOUT_SECONDS = 0.3
    now = timezone.now()
    confirmed(scope, now - timedelta(minutes=5), now + timedelta(hours=1))
    sim.mute = True
    assert services.apply_power_schedule(now) == {"switched": 0, "failed": 1}
    assert outlet_state() == "unknown"
