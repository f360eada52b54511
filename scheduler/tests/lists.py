"""List endpoints of the scheduler for the query-count table (see core.testing.ListCase)."""
from accounts.tests.factories import UserFactory
from core.testing import ListCase
from scheduler.models import Device

from .factories import (
    BookingFactory,
    BookingSeriesFactory,
    DeviceFactory,
    FavouriteFactory,
    MaintenanceWindowFactory,
    OutletFactory,
    at,
    linked,
)


def _device_with_a_qualified_user(user):
    DeviceFactory().qualified_users.add(UserFactory())


def _booking_with_a_collaborator(user):
    BookingFactory(start=at(2, 10), end=at(2, 11)).collaborators.add(UserFactory())


def _listed_device():
    return Device.objects.filter(name="Listed").first() or DeviceFactory(name="Listed")


def device_maintenance(user):
    return f"/api/scheduler/devices/{_listed_device().pk}/maintenance/"


LISTS = [
    ListCase("/api/scheduler/devices/", _device_with_a_qualified_user),
    ListCase("/api/scheduler/bookings/", _booking_with_a_collaborator),
    ListCase("/api/scheduler/series/", lambda user: BookingSeriesFactory(user=user), role="member"),
    ListCase("/api/scheduler/favourites/", lambda user: FavouriteFactory(user=user)),
    ListCase(device_maintenance, lambda user: MaintenanceWindowFactory(device=_listed_device())),
    ListCase("/api/scheduler/pdus/", lambda user: OutletFactory().devices.add(DeviceFactory(), DeviceFactory())),
    ListCase("/api/scheduler/links/", lambda user: linked(DeviceFactory(), "p1", DeviceFactory(), "p1")),
]
