"""Reads that are more than a filter: overlaps, holders, availability and conflict reports.

Overlap everywhere means ``start < other.end and end > other.start`` (half-open
ranges: a booking ending at 10:00 and one starting at 10:00 do not clash).
"""
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Booking, Device, MaintenanceWindow


def overlapping(device_id: int, start: datetime, end: datetime, statuses=Booking.ACTIVE,
                exclude_ids=()) -> QuerySet:
    """Bookings of one device in ``statuses`` that overlap ``[start, end)``.

    The extra lower bound on ``start`` (no booking is longer than SCHEDULER_MAX_BOOKING_DAYS)
    turns the search into a short range scan of the (device, start) index, so its cost does
    not grow with the number of past bookings.
    """
    longest = timedelta(days=settings.SCHEDULER_MAX_BOOKING_DAYS)
    qs = Booking.objects.filter(
        device_id=device_id, status__in=list(statuses), start__lt=end, end__gt=start, start__gt=start - longest
    )
    if exclude_ids:
        qs = qs.exclude(pk__in=list(exclude_ids))
    return qs


def maintenance_overlapping(device_id: int, start: datetime, end: datetime) -> QuerySet:
    """Maintenance windows of one device that overlap ``[start, end)``."""
    return MaintenanceWindow.objects.filter(device_id=device_id, start__lt=end, end__gt=start)


def peak_holders(intervals: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> int:
    """The most intervals that overlap at one instant inside ``[start, end)``, counting ``[start, end)`` itself.

    A sweep over the (few) bookings that touch the window: two bookings that both overlap a
    request but not each other are never two holders at once.
    """
    points = [(start, 1), (end, -1)]
    for other_start, other_end in intervals:
        points.append((max(other_start, start), 1))
        points.append((min(other_end, end), -1))
    # At equal times, ends come first: half-open ranges that touch do not overlap.
    points.sort(key=lambda point: (point[0], point[1]))
    depth = peak = 0
    for _, step in points:
        depth += step
        peak = max(peak, depth)
    return peak


def describe_booking(booking: Booking) -> dict:
    """A clash as the API reports it."""
    return {
        "type": "booking",
        "id": booking.pk,
        "status": booking.status,
        "user": booking.user_id,
        "start": booking.start,
        "end": booking.end,
    }


def describe_maintenance(window: MaintenanceWindow) -> dict:
    """A maintenance clash as the API reports it."""
    return {"type": "maintenance", "id": window.pk, "reason": window.reason, "start": window.start, "end": window.end}


def clashes(device_id: int, start: datetime, end: datetime, exclude_ids=()) -> list[dict]:
    """Every active booking and maintenance window of the device that overlaps ``[start, end)``, by start."""
    found = [describe_booking(b) for b in overlapping(device_id, start, end, exclude_ids=exclude_ids)]
    found += [describe_maintenance(w) for w in maintenance_overlapping(device_id, start, end)]
    return sorted(found, key=lambda clash: clash["start"])


def _days(start: datetime, end: datetime):
    """Local calendar days touched by ``[start, end)``, as (date, day_start, day_end)."""
    day = timezone.localtime(start).date()
    last = timezone.localtime(end - timedelta(microseconds=1)).date()
    while day <= last:
        day_start = timezone.make_aware(datetime.combine(day, time.min))
        yield day, day_start, day_start + timedelta(days=1)
        day += timedelta(days=1)


def seconds_booked_per_day(user_id: int, device_id: int, start: datetime, end: datetime,
                           exclude_ids=()) -> dict:
    """For each local day ``[start, end)`` touches: seconds the user already holds of the device that day."""
    days = list(_days(start, end))
    first, last = days[0][1], days[-1][2]
    held = list(
        overlapping(device_id, first, last, exclude_ids=exclude_ids).filter(user_id=user_id).values_list("start", "end")
    )
    totals = {}
    for day, day_start, day_end in days:
        totals[day] = sum(
            max(0.0, (min(b_end, day_end) - max(b_start, day_start)).total_seconds()) for b_start, b_end in held
        )
    return totals


def split_by_day(start: datetime, end: datetime) -> dict:
    """Seconds of ``[start, end)`` falling in each local day."""
    days = _days(start, end)
    return {day: (min(end, day_end) - max(start, day_start)).total_seconds() for day, day_start, day_end in days}


def conflict_report(items: list[tuple[Device, datetime, datetime]]) -> list[dict]:
    """For proposed (device, start, end) requests: the clashes per device and local day."""
    report = []
    for device, start, end in items:
        found = clashes(device.pk, start, end)
        days = []
        for day, day_start, day_end in _days(start, end):
            on_day = [c for c in found if c["start"] < day_end and c["end"] > day_start]
            days.append({"date": day, "clashes": on_day})
        report.append({
            "device": device.pk,
            "name": device.name,
            "start": start,
            "end": end,
            "free": not found,
            "days": days,
        })
    return report


def availability(device: Device, start: datetime, end: datetime) -> dict:
    """Busy intervals (active bookings) and maintenance windows of a device in ``[start, end)``."""
    busy = [
        {"booking": b.pk, "status": b.status, "start": b.start, "end": b.end}
        for b in overlapping(device.pk, start, end).order_by("start")
    ]
    maintenance = [describe_maintenance(w) for w in maintenance_overlapping(device.pk, start, end)]
    return {"device": device.pk, "status": device.status, "from": start, "to": end, "busy": busy,
            "maintenance": maintenance}


def free_between(devices: QuerySet, start: datetime, end: datetime) -> QuerySet:
    """Devices that are available and have neither an active booking nor maintenance in ``[start, end)``."""
    taken = Booking.objects.filter(
        device=OuterRef("pk"), status__in=list(Booking.ACTIVE), start__lt=end, end__gt=start
    )
    down = MaintenanceWindow.objects.filter(device=OuterRef("pk"), start__lt=end, end__gt=start)
    return devices.filter(status=Device.Status.AVAILABLE).exclude(Exists(taken)).exclude(Exists(down))


def visible_to(user) -> Q:
    """Bookings a user is part of: their own and those they collaborate on."""
    return Q(user=user) | Q(collaborators=user)
