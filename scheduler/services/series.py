"""Recurring requests: an RRULE expanded into bookings that are checked one by one."""
from datetime import datetime
from itertools import islice

from dateutil.rrule import rrulestr
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.roles import MEMBER, require_role
from core import audit
from core.errors import DomainError, RuleViolation

from ..models import BookingSeries
from .bookings import _collaborators, lock_with_linked, request_with_linked
from .common import check_times, notify_later


def occurrences(rule: str, first_start: datetime) -> list[datetime]:
    """Start times of ``rule`` from ``first_start``, in local wall-clock time (09:00 stays 09:00 over DST)."""
    limit = settings.SCHEDULER_MAX_SERIES_OCCURRENCES
    local = timezone.localtime(first_start)
    # The series starts at first_start: a DTSTART line pasted in with the rule (calendar apps
    # add one) would otherwise win over it, so it is dropped; ignoretz reads UNTIL as local time.
    lines = [line for line in rule.splitlines() if not line.strip().upper().startswith("DTSTART")]
    try:
        parsed = rrulestr("\n".join(lines), dtstart=local.replace(tzinfo=None), ignoretz=True)
    except (ValueError, TypeError) as exc:
        raise RuleViolation(f"That is not a recurrence rule: {exc}.", fields={"rrule": [str(exc)]})
    starts = list(islice(iter(parsed), limit + 1))
    if len(starts) > limit:
        raise RuleViolation(f"The rule makes more than {limit} occurrences: add COUNT or UNTIL.",
                            fields={"rrule": ["too many occurrences"]})
    return [timezone.make_aware(start, local.tzinfo) for start in starts]


@transaction.atomic
def create_series(actor, device_id, first_start: datetime, first_end: datetime, rule: str, *,
                  comment: str = "", collaborator_ids=()) -> tuple[BookingSeries, list[dict]]:
    """Request every occurrence of ``rule``; each is booked or refused on its own.

    Returns the series and one outcome per occurrence: ``{"start", "end", "booked": True, "booking",
    "status"}`` or ``{"start", "end", "booked": False, "error", "detail"}``. A refused occurrence
    does not refuse the others; a series where nothing could be booked is still recorded.
    """
    require_role(actor, MEMBER, "book devices")
    check_times(first_start, first_end)
    device = lock_with_linked(device_id)
    collaborators = _collaborators(actor, collaborator_ids)
    duration = first_end - first_start
    starts = occurrences(rule, first_start)
    series = BookingSeries.objects.create(user=actor, device=device, rrule=rule, first_start=first_start,
                                          duration=duration, comment=comment)
    outcomes, first_booked = [], None
    for start in starts:
        end = start + duration
        try:
            with transaction.atomic():
                # A device that books its linked devices brings them to each occurrence, all or nothing.
                booking = request_with_linked(actor, device.pk, start, end, comment=comment,
                                              collaborators=collaborators, series=series, notify=False)
        except DomainError as exc:
            outcomes.append({"start": start, "end": end, "booked": False, "error": exc.code, "detail": exc.detail,
                             **exc.extra})
        else:
            first_booked = first_booked or booking
            outcomes.append({"start": start, "end": end, "booked": True, "booking": booking.pk,
                             "status": booking.status})
    if first_booked is not None:  # one message for the whole series, about its first booked occurrence
        notify_later(first_booked, "series_requested")
    audit.record(actor, "booking_series.create", series, {
        "rrule": [None, rule], "booked": [None, sum(o["booked"] for o in outcomes)],
        "refused": [None, sum(not o["booked"] for o in outcomes)],
    })
    return series, outcomes
