"""Factories for scheduler data. They arrange a scene; the behaviour under test goes through services."""
from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from scheduler.models import Booking, BookingSeries, Device, Favourite, MaintenanceWindow


def at(days: int = 1, hour: int = 10, minute: int = 0) -> datetime:
    """An aware local datetime ``days`` from today at ``hour:minute``."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Device {n}")
    status = Device.Status.AVAILABLE


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking
        skip_postgeneration_save = True

    device = factory.SubFactory(DeviceFactory)
    user = factory.SubFactory(UserFactory)
    start = factory.LazyFunction(lambda: at(1, 10))
    end = factory.LazyAttribute(lambda b: b.start + timedelta(hours=2))
    status = Booking.Status.PENDING


class MaintenanceWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaintenanceWindow

    device = factory.SubFactory(DeviceFactory)
    start = factory.LazyFunction(lambda: at(1, 8))
    end = factory.LazyAttribute(lambda w: w.start + timedelta(hours=4))
    reason = "calibration"


class BookingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BookingSeries

    user = factory.SubFactory(UserFactory)
    device = factory.SubFactory(DeviceFactory)
    rrule = "FREQ=WEEKLY;COUNT=4"
    first_start = factory.LazyFunction(lambda: at(1, 10))
    duration = timedelta(hours=1)


class FavouriteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Favourite

    user = factory.SubFactory(UserFactory)
    device = factory.SubFactory(DeviceFactory)


class PDUFactory(factory.django.DjangoModelFactory):
    """A Raritan PDU at an address nothing answers on; tests that switch point it at a simulator."""

    class Meta:
        model = "scheduler.PDU"

    name = factory.Sequence(lambda n: f"PDU {n}")
    driver = "raritan"
    address = "http://127.0.0.1:9"
    username = "admin"


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "scheduler.Outlet"
        skip_postgeneration_save = True

    pdu = factory.SubFactory(PDUFactory)
    number = factory.Sequence(lambda n: n + 1)
    mode = "manual"


class DeviceLinkFactory(factory.django.DjangoModelFactory):
    """A fibre link between port p1 of two new devices; ``ends=False`` leaves the ends to the test (``linked``)."""

    class Meta:
        model = "scheduler.DeviceLink"
        skip_postgeneration_save = True

    link_type = "fibre"

    @factory.post_generation
    def ends(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from scheduler.models import LinkEnd

        for _ in range(2):
            LinkEnd.objects.create(link=self, device=DeviceFactory(), port="p1")


def linked(a, a_port, b, b_port, link_type="fibre"):
    """A link between two device ports, made directly (arranging a scene, not testing the service)."""
    from scheduler.models import LinkEnd

    link = DeviceLinkFactory(link_type=link_type, ends=False)
    LinkEnd.objects.create(link=link, device=a, port=a_port)
    LinkEnd.objects.create(link=link, device=b, port=b_port)
    return link
