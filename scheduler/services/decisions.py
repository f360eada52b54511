"""What operators and the clock decide: approval, rejection, expiry and reminders."""
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.roles import OPERATOR, require_role
from core.errors import Conflict, DomainError, RuleViolation

from .. import queries
from ..events import BOOKING_APPROVED, BOOKING_EXPIRED, BOOKING_REJECTED
from ..models import Booking
from .common import (
    check_device_open,
    describe,
    get_booking,
    lock_device,
    notify_later,
    publish_booking,
    record,
    release_lone_conflicts,
    save_checked,
)


def _undecided(booking: Booking, doing: str) -> None:
    if booking.status not in Booking.UNDECIDED:
        raise Conflict(f"Booking #{booking.pk} is already {booking.status}; only pending or conflicting "
                       f"bookings can be {doing}.")


@transaction.atomic
def approve_booking(actor, booking: Booking | int, reason: str = "") -> Booking:
    """Confirm a pending or conflicting booking after re-checking it against confirmed ones.

    Under the device lock, so of two overlapping approvals only the first wins; in PostgreSQL
    the exclusion constraint refuses the second even if the lock were bypassed.
    """
    require_role(actor, OPERATOR, "approve bookings")
    device = lock_device(get_booking(booking).device_id)
    booking = get_booking(booking, lock=True)
    _undecided(booking, "approved")
    if booking.end <= timezone.now():
        raise RuleViolation(f"Booking #{booking.pk} is already over; it can only expire.", code="already_over")
    check_device_open(device, booking.start, booking.end)
    confirmed = list(queries.overlapping(device.pk, booking.start, booking.end,
                                         statuses=[Booking.Status.CONFIRMED], exclude_ids=[booking.pk])
                     .select_related("user"))
    if confirmed:
        raise Conflict(
            f"Cannot confirm booking #{booking.pk}: {device} is already confirmed for "
            + "; ".join(describe(b) for b in confirmed) + ". Reject one of them.",
            clashes=[queries.describe_booking(b) for b in confirmed],
        )
    previous = booking.status
    booking.status = Booking.Status.CONFIRMED
    booking.decided_by = actor
    booking.decided_at = timezone.now()
    booking.reason = reason
    save_checked(booking, ["status", "decided_by", "decided_at", "reason"])
    record(actor, "booking.approve", booking, {"status": [previous, booking.status]})
    publish_booking(booking, BOOKING_APPROVED)
    notify_later(booking, "approved")
    return booking


@transaction.atomic
def reject_booking(actor, booking: Booking | int, reason: str = "") -> Booking:
    """Turn down a pending or conflicting booking; what it clashed with may go back to pending."""
    require_role(actor, OPERATOR, "reject bookings")
    lock_device(get_booking(booking).device_id)
    booking = get_booking(booking, lock=True)
    _undecided(booking, "rejected")
    previous = booking.status
    booking.status = Booking.Status.REJECTED
    booking.decided_by = actor
    booking.decided_at = timezone.now()
    booking.reason = reason or "Rejected by an operator."
    save_checked(booking, ["status", "decided_by", "decided_at", "reason"])
    record(actor, "booking.reject", booking, {"status": [previous, booking.status], "reason": booking.reason})
    publish_booking(booking, BOOKING_REJECTED, reason=booking.reason)
    notify_later(booking, "rejected")
    release_lone_conflicts(actor, booking.device_id, booking.start, booking.end)
    return booking


def bulk_decide(actor, booking_ids, decision: str, reason: str = "") -> list[dict]:
    """Approve or reject many bookings, each in its own transaction; reports each one's outcome.

    One refusal (a clash, an already decided booking) does not undo the others, so an operator
    can approve a day's requests in one go and see which ones need a second look.
    """
    require_role(actor, OPERATOR, "decide bookings")
    if decision not in ("approve", "reject"):
        raise RuleViolation("decision must be 'approve' or 'reject'.", fields={"decision": ["approve or reject"]})
    service = approve_booking if decision == "approve" else reject_booking
    results = []
    for booking_id in dict.fromkeys(booking_ids):
        try:
            booking = service(actor, booking_id, reason)
        except DomainError as exc:
            results.append({"id": booking_id, "ok": False, "error": exc.code, "detail": exc.detail})
        else:
            results.append({"id": booking.pk, "ok": True, "status": booking.status})
    return results


def expire_bookings(now: datetime | None = None) -> int:
    """Mark pending and conflicting bookings whose end has passed as expired; returns how many.

    Runs from Celery beat and ``manage.py expire_bookings``, never while reading a list, so a
    GET stays a read. Each booking is its own small transaction.
    """
    now = now or timezone.now()
    count = 0
    ids = list(Booking.objects.filter(status__in=list(Booking.UNDECIDED), end__lte=now).values_list("pk", flat=True))
    for booking_id in ids:
        with transaction.atomic():
            booking = get_booking(booking_id, lock=True)
            if booking.status not in Booking.UNDECIDED:
                continue
            previous = booking.status
            booking.status = Booking.Status.EXPIRED
            booking.reason = "Nobody decided it before it ended."
            booking.save(update_fields=["status", "reason", "updated_at"])
            record(None, "booking.expire", booking, {"status": [previous, booking.status]})
            publish_booking(booking, BOOKING_EXPIRED)
            count += 1
    return count


def queue_reminders(now: datetime | None = None) -> int:
    """Queue a reminder for each confirmed booking starting within SCHEDULER_REMINDER_MINUTES; once each."""
    now = now or timezone.now()
    lead = timedelta(minutes=settings.SCHEDULER_REMINDER_MINUTES)
    count = 0
    with transaction.atomic():
        due = Booking.objects.select_for_update().select_related("device").filter(
            status=Booking.Status.CONFIRMED, reminded_at__isnull=True, start__gt=now, start__lte=now + lead
        )
        for booking in due:
            booking.reminded_at = now
            booking.save(update_fields=["reminded_at", "updated_at"])
            notify_later(booking, "reminder")
            count += 1
    return count
