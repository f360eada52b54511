"""The demo always shows bookings in the current week, whatever day it is seeded on."""
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from scheduler.demo import _this_week

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("weekday, hour", [(0, 9), (2, 18), (6, 10), (6, 20)])
def test_a_past_demo_slot_moves_to_later_in_the_same_week(weekday, hour):
    monday = timezone.make_aware(datetime(2026, 11, 30))
    now = monday + timedelta(days=weekday, hours=hour, minutes=17)
    monday_nine = monday + timedelta(hours=9)
    start = _this_week(monday, monday_nine, 2, now)
    assert now < start and start + timedelta(hours=2) <= monday + timedelta(days=7)


def test_only_a_sunday_night_pushes_the_demo_into_next_week():
    monday = timezone.make_aware(datetime(2026, 11, 30))
    now = monday + timedelta(days=6, hours=23, minutes=5)
    assert _this_week(monday, monday + timedelta(hours=9), 2, now) == monday + timedelta(days=7, hours=9)


def test_seeding_leaves_bookings_in_this_week(client):
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=(out := io.StringIO()))
    from scheduler.models import Booking

    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    start = timezone.make_aware(datetime.combine(monday, datetime.min.time()))
    now = timezone.localtime()
    if not (now.weekday() == 6 and now.hour >= 21):
        assert Booking.objects.filter(start__gte=start, start__lt=start + timedelta(days=7)).exists()
    lines = out.getvalue().strip().splitlines()
    assert lines[-6].startswith("Benchtop is served at http")
    assert [line.split()[0] for line in lines[-4:]] == ["admin", "operator", "member", "viewer"]
