"""Pieces every scheduler service uses: locking, policy, recording and telling people."""
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit, events
from core.errors import Conflict, NotFound, RuleViolation
from core.validation import check_planned

from .. import queries
from ..dbops import CONFIRMED_NO_OVERLAP
from ..events import BOOKING_STATUS_CHANGED
from ..models import Booking, Device
from .power import follow_booking


def lock_device(device) -> Device:
    """The device row (given as an instance, or its id by a door that has only the id), re-read and locked.

    The instance a door hands over may be stale (an admin form, a list read a moment ago), so
    every rule is checked against the row read here under the lock.

    On PostgreSQL this serialises every change to one device's bookings, so a re-check made
    after it cannot be overtaken by a concurrent one; on SQLite the IMMEDIATE transaction
    already holds the write lock and ``select_for_update`` is a no-op.
    """
    device_id = device.pk if isinstance(device, Device) else device
    try:
        return Device.objects.select_for_update().get(pk=device_id)
    except (Device.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"There is no device {device_id}.")


def get_booking(booking, *, lock=False) -> Booking:
    """The booking (an instance, or its id), re-read and optionally locked; NotFound when it does not exist."""
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    qs = Booking.objects.select_related("device", "user")
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=booking_id)
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"There is no booking {booking_id}.")


def fmt(moment: datetime) -> str:
    """A time as messages show it (local time zone)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def describe(booking: Booking) -> str:
    """``booking #12 (pending, alice, 2025-01-02 10:00–12:00)`` for messages."""
    return f"booking #{booking.pk} ({booking.status}, {booking.user}, {fmt(booking.start)}–{fmt(booking.end)})"


def check_times(start: datetime, end: datetime) -> None:
    """Reject naive or reversed ranges before any rule looks at them."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise RuleViolation("Give start and end with a time zone (e.g. 2025-05-01T09:00:00Z).", code="invalid_time")
    if end <= start:
        raise RuleViolation("The end must be after the start.", code="invalid_time", fields={"end": ["before start"]})
    check_planned(start, "start")
    check_planned(end, "end")


def policy_violation(rule: str, message: str) -> RuleViolation:
    """A 400 that names the policy rule broken (``rule`` in the body)."""
    return RuleViolation(message, code="policy_violation", rule=rule)


def check_policy(device: Device, user, start: datetime, end: datetime, *, exclude_ids=(), new=True) -> None:
    """Raise a policy violation when ``[start, end)`` breaks the device's booking policy for ``user``."""
    now = timezone.now()
    minutes = (end - start).total_seconds() / 60
    longest_days = settings.SCHEDULER_MAX_BOOKING_DAYS
    if new and end <= now:
        raise policy_violation("in_past", "That time is already over: book a range that ends in the future.")
    if minutes > longest_days * 24 * 60:
        raise policy_violation("max_length", f"No booking may be longer than {longest_days} days.")
    if device.min_minutes and minutes < device.min_minutes:
        raise policy_violation(
            "min_length", f"{device} must be booked for at least {device.min_minutes} minutes (asked {minutes:g})."
        )
    if device.max_minutes and minutes > device.max_minutes:
        raise policy_violation(
            "max_length", f"{device} may be booked for at most {device.max_minutes} minutes (asked {minutes:g})."
        )
    if new and device.max_days_ahead is not None and start > now + timedelta(days=device.max_days_ahead):
        raise policy_violation(
            "max_days_ahead", f"{device} may be booked at most {device.max_days_ahead} days ahead."
        )
    if device.requires_qualification and not device.qualified_users.filter(pk=user.pk).exists():
        raise policy_violation(
            "qualification", f"{device} needs a qualification you do not have yet: ask an operator to add you."
        )
    if device.max_hours_per_day is not None:
        cap = float(device.max_hours_per_day) * 3600
        held = queries.seconds_booked_per_day(user.pk, device.pk, start, end, exclude_ids=exclude_ids)
        for day, seconds in queries.split_by_day(start, end).items():
            if held.get(day, 0) + seconds > cap:
                raise policy_violation(
                    "daily_cap",
                    f"{device} allows {device.max_hours_per_day:g} hours per user per day; on {day} you would hold "
                    f"{(held.get(day, 0) + seconds) / 3600:.2f} hours.",
                )


def check_device_open(device: Device, start: datetime, end: datetime) -> None:
    """Conflict when the device is out of service or a maintenance window overlaps ``[start, end)``."""
    if device.status != Device.Status.AVAILABLE:
        raise Conflict(f"{device} is {device.get_status_display().lower()} and cannot be booked now.",
                       clashes=[{"type": "device_status", "status": device.status}])
    windows = list(queries.maintenance_overlapping(device.pk, start, end))
    if windows:
        w = windows[0]
        raise Conflict(
            f"{device} is in maintenance from {fmt(w.start)} to {fmt(w.end)}"
            + (f" ({w.reason})" if w.reason else "") + ": pick another time.",
            clashes=[queries.describe_maintenance(x) for x in windows],
        )


def save_checked(booking: Booking, fields: list[str]) -> None:
    """Save inside a savepoint; the PostgreSQL exclusion constraint's refusal becomes a 409."""
    try:
        with transaction.atomic():
            booking.save(update_fields=[*fields, "updated_at"])
    except IntegrityError as exc:
        if CONFIRMED_NO_OVERLAP in str(exc):
            raise Conflict(
                f"{booking.device} already has a confirmed booking overlapping "
                f"{fmt(booking.start)}–{fmt(booking.end)}."
            )
        raise


def booking_data(booking: Booking, **extra) -> dict:
    """The event payload for a booking."""
    data = {
        "id": booking.pk,
        "device": booking.device_id,
        "device_name": booking.device.name,
        "user": booking.user_id,
        "start": booking.start,
        "end": booking.end,
        "status": booking.status,
        "group_id": str(booking.group_id) if booking.group_id else None,
        "summary": f"{booking.device.name} {fmt(booking.start)}–{fmt(booking.end)} {booking.status}",
    }
    data.update(extra)
    return data


def publish_booking(booking: Booking, type: str, **extra) -> None:
    """Publish a booking event to the calendar, its device and everyone holding it."""
    people = {booking.user_id, *booking.collaborators.values_list("pk", flat=True)}
    topics = ["scheduler", f"device:{booking.device_id}", *(f"user:{pk}" for pk in sorted(people))]
    events.publish(topics, type, booking_data(booking, **extra))
    follow_booking(booking)


def record(actor, action: str, booking: Booking, changes: dict) -> None:
    """Audit entry for a booking change."""
    audit.record(actor, action, booking, changes)


def notify_later(booking: Booking, kind: str) -> None:
    """Queue the notification task once the transaction has committed.

    ``robust``: the change is already committed, so a broker or webhook failure is logged and
    must not turn the caller's successful request into an error.
    """
    # Imported here: the tasks module imports the services, which import this module.
    from ..tasks import notify_booking

    booking_id = booking.pk
    transaction.on_commit(lambda: notify_booking.delay(booking_id, kind), robust=True)


def release_lone_conflicts(actor, device_id: int, start: datetime, end: datetime) -> list[Booking]:
    """Conflicting bookings overlapping ``[start, end)`` that no longer clash with anything go back to pending."""
    released = []
    candidates = queries.overlapping(device_id, start, end, statuses=[Booking.Status.CONFLICTING])
    for booking in candidates.select_related("device", "user"):
        if queries.overlapping(device_id, booking.start, booking.end, exclude_ids=[booking.pk]).exists():
            continue
        booking.status = Booking.Status.PENDING
        booking.save(update_fields=["status", "updated_at"])
        record(actor, "booking.release", booking, {"status": [Booking.Status.CONFLICTING, Booking.Status.PENDING]})
        publish_booking(booking, BOOKING_STATUS_CHANGED)
        released.append(booking)
    return released
