"""Requesting, cancelling, extending and rebooking bookings (what members do)."""
import uuid
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.roles import MEMBER, require_role
from core.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from core.parsing import as_id

from .. import queries
from ..events import BOOKING_CANCELLED, BOOKING_EXTENDED, BOOKING_REQUESTED, BOOKING_STATUS_CHANGED
from ..models import Booking, Device
from .common import (
    check_device_open,
    check_policy,
    check_times,
    describe,
    fmt,
    get_booking,
    lock_device,
    notify_later,
    publish_booking,
    record,
    release_lone_conflicts,
    save_checked,
)
from .linked import check_linked_free, linked_devices


def _collaborators(owner, ids) -> list:
    """The users named as collaborators; RuleViolation for unknown or inactive ones."""
    ids = {int(pk) for pk in ids or []} - {owner.pk}
    users = list(get_user_model().objects.filter(pk__in=ids, is_active=True))
    missing = ids - {u.pk for u in users}
    if missing:
        raise RuleViolation(f"No active user with id {', '.join(map(str, sorted(missing)))}.",
                            fields={"collaborators": ["unknown user"]})
    return users


def _decide_status(device: Device, user, start: datetime, end: datetime) -> tuple[str, list[Booking]]:
    """The status a new request gets, and the active bookings it overlaps; Conflict past the holder cap."""
    others = list(queries.overlapping(device.pk, start, end).select_related("user"))
    own = [b for b in others if b.user_id == user.pk]
    if own:
        raise Conflict(f"You already hold {device} at that time: {describe(own[0])}.",
                       clashes=[queries.describe_booking(b) for b in own])
    holders = queries.peak_holders([(b.start, b.end) for b in others], start, end)
    if holders > device.max_holders:
        raise Conflict(
            f"{device} allows {device.max_holders} holder(s) at once and {fmt(start)}–{fmt(end)} is full: "
            + "; ".join(describe(b) for b in others) + ".",
            clashes=[queries.describe_booking(b) for b in others],
        )
    if others:
        return Booking.Status.CONFLICTING, others
    if device.auto_approve:
        return Booking.Status.CONFIRMED, []
    return Booking.Status.PENDING, []


def _request(actor, device_id, start, end, *, comment="", collaborators=(), group_id=None, series=None,
             notify=True) -> Booking:
    """Create one booking under the device lock (the caller holds the transaction).

    ``notify=False`` leaves telling people to the caller (a series sends one message, not one per day).
    """
    check_times(start, end)
    device = lock_device(device_id)
    check_policy(device, actor, start, end)
    check_device_open(device, start, end)
    status, others = _decide_status(device, actor, start, end)
    booking = Booking.objects.create(
        device=device, user=actor, start=start, end=end, status=status, comment=comment,
        group_id=group_id, series=series,
        reason="Confirmed at once by the device's policy." if status == Booking.Status.CONFIRMED else "",
        decided_at=timezone.now() if status == Booking.Status.CONFIRMED else None,
    )
    if collaborators:
        booking.collaborators.set(collaborators)
    # The request it clashes with waits for an operator too: both sides are shown as conflicting.
    for other in others:
        if other.status == Booking.Status.PENDING:
            other.status = Booking.Status.CONFLICTING
            other.save(update_fields=["status", "updated_at"])
            record(actor, "booking.conflict", other, {"status": ["pending", "conflicting"], "with": booking.pk})
            publish_booking(other, BOOKING_STATUS_CHANGED)
    record(actor, "booking.create", booking, {"status": [None, status], "start": [None, start], "end": [None, end]})
    publish_booking(booking, BOOKING_REQUESTED)
    if notify:
        notify_later(booking, "requested")
    return booking


def request_with_linked(actor, device_id, start, end, *, comment="", collaborators=(), series=None,
                        notify=True) -> Booking:
    """Book one device (the caller holds the transaction); a device that books its linked devices
    (``books_linked_devices``) is booked with them as one group, all or nothing.

    Answers the asked device's booking, whose ``group_id`` names the group. Only that booking
    belongs to ``series``: the series is of the asked device, the linked ones come with each occurrence.
    """
    asked = as_id(device_id.pk if isinstance(device_id, Device) else device_id)
    linked = linked_devices(asked) if asked else []
    if not linked:
        return _request(actor, device_id, start, end, comment=comment, collaborators=collaborators, series=series,
                        notify=notify)
    check_times(start, end)
    ids = sorted({asked, *(entry["device"].pk for entry in linked)})
    # Lock in id order, as a group request does, then judge the linked devices under the locks.
    locked = {pk: lock_device(pk) for pk in ids}
    for entry in linked:
        entry["device"] = locked[entry["device"].pk]
    check_linked_free(locked[asked], linked, start, end)
    group_id = uuid.uuid4()
    bookings = [_request(actor, pk, start, end, comment=comment, collaborators=collaborators, group_id=group_id,
                         series=series if pk == asked else None, notify=notify) for pk in ids]
    return next(b for b in bookings if b.device_id == asked)


def lock_with_linked(device_id) -> Device:
    """Lock a device and the devices it books through its links, in id order (no deadlock with a group)."""
    asked = as_id(device_id.pk if isinstance(device_id, Device) else device_id)
    if asked:
        for pk in sorted({asked, *(entry["device"].pk for entry in linked_devices(asked))}):
            lock_device(pk)
    return lock_device(device_id)


@transaction.atomic
def create_booking(actor, device_id, start: datetime, end: datetime, *, comment: str = "",
                   collaborator_ids=(), series=None) -> Booking:
    """Book one device for ``actor``; the status (pending, conflicting or confirmed) is decided here.

    400 for a broken policy rule, 409 when the device is out of service, in maintenance, or
    already has as many holders as it allows. A device that books its linked devices
    (``books_linked_devices``) is booked with them as one group, all or nothing; the answer is
    the asked device's booking, whose ``group_id`` names the group.
    """
    require_role(actor, MEMBER, "book devices")
    collaborators = _collaborators(actor, collaborator_ids)
    return request_with_linked(actor, device_id, start, end, comment=comment, collaborators=collaborators,
                               series=series)


@transaction.atomic
def create_group(actor, device_ids, start: datetime, end: datetime, *, comment: str = "",
                 collaborator_ids=()) -> list[Booking]:
    """Book several devices for the same range as one request; any refusal refuses the whole group."""
    require_role(actor, MEMBER, "book devices")
    ids = list(dict.fromkeys(device_ids))
    if not ids:
        raise RuleViolation("Name at least one device.", fields={"devices": ["empty"]})
    collaborators = _collaborators(actor, collaborator_ids)
    group_id = uuid.uuid4() if len(ids) > 1 else None
    # Lock in id order so two group requests over the same devices cannot deadlock.
    return [
        _request(actor, pk, start, end, comment=comment, collaborators=collaborators, group_id=group_id)
        for pk in sorted(ids)
    ]


def _require_owner(actor, booking: Booking, doing: str) -> None:
    # Owning a booking is not enough: someone demoted to viewer no longer changes bookings.
    require_role(actor, MEMBER, f"{doing} bookings")
    if booking.user_id != actor.pk:
        raise PermissionDenied(f"Only the owner of booking #{booking.pk} may {doing} it.")


def _require_holder(actor, booking: Booking, doing: str) -> None:
    require_role(actor, MEMBER, f"{doing} bookings")
    if booking.user_id != actor.pk and not booking.collaborators.filter(pk=actor.pk).exists():
        raise PermissionDenied(f"Only the owner or a collaborator of booking #{booking.pk} may {doing} it.")


def _cancel(actor, booking: Booking, reason: str) -> Booking:
    _require_owner(actor, booking, "cancel")
    if booking.status not in Booking.ACTIVE:
        raise Conflict(f"Booking #{booking.pk} is {booking.status}; only pending, conflicting or confirmed "
                       "bookings can be cancelled.")
    if booking.end <= timezone.now():
        raise RuleViolation(f"Booking #{booking.pk} is already over.", code="already_over")
    previous = booking.status
    booking.status = Booking.Status.CANCELLED
    booking.reason = reason or "Cancelled by its owner."
    save_checked(booking, ["status", "reason"])
    record(actor, "booking.cancel", booking, {"status": [previous, booking.status], "reason": reason})
    publish_booking(booking, BOOKING_CANCELLED)
    notify_later(booking, "cancelled")
    release_lone_conflicts(actor, booking.device_id, booking.start, booking.end)
    return booking


@transaction.atomic
def cancel_booking(actor, booking: Booking | int, reason: str = "") -> Booking:
    """The owner withdraws a booking; a lone conflicting booking it clashed with goes back to pending."""
    booking = get_booking(booking)
    lock_device(booking.device_id)
    return _cancel(actor, get_booking(booking, lock=True), reason)


def _extend(actor, booking: Booking, new_end: datetime) -> Booking:
    _require_holder(actor, booking, "extend")
    if booking.status not in Booking.ACTIVE:
        raise Conflict(f"Booking #{booking.pk} is {booking.status} and cannot be extended.")
    check_times(booking.start, new_end)
    if new_end <= booking.end:
        raise RuleViolation(f"The new end must be after the current end ({fmt(booking.end)}).",
                            fields={"end": ["not later than the current end"]})
    check_policy(booking.device, booking.user, booking.start, new_end, exclude_ids=[booking.pk], new=False)
    check_device_open(booking.device, booking.end, new_end)
    clashing = list(queries.overlapping(booking.device_id, booking.end, new_end, exclude_ids=[booking.pk])
                    .select_related("user"))
    if clashing:
        raise Conflict(
            f"{booking.device} is taken after {fmt(booking.end)}: " + "; ".join(describe(b) for b in clashing) + ".",
            clashes=[queries.describe_booking(b) for b in clashing],
        )
    previous = booking.end
    booking.end = new_end
    save_checked(booking, ["end"])
    record(actor, "booking.extend", booking, {"end": [previous, new_end]})
    publish_booking(booking, BOOKING_EXTENDED, previous_end=previous)
    return booking


@transaction.atomic
def extend_booking(actor, booking: Booking | int, new_end: datetime) -> Booking:
    """Move a booking's end later (owner or collaborator); 409 when the extra time is taken."""
    booking = get_booking(booking)
    lock_device(booking.device_id)
    return _extend(actor, get_booking(booking, lock=True), new_end)


def _group(actor, group_id) -> list[Booking]:
    bookings = list(Booking.objects.filter(group_id=group_id).select_related("device", "user").order_by("device_id"))
    if not bookings:
        raise NotFound(f"There is no booking group {group_id}.")
    for booking in bookings:
        lock_device(booking.device_id)
    # Re-read under the device locks: a decision made meanwhile must not be overwritten.
    return list(Booking.objects.select_for_update(of=("self",)).filter(group_id=group_id)
                .select_related("device", "user").order_by("device_id"))


def _active_in_group(actor, group_id) -> list[Booking]:
    """The group's still active bookings, locked; 409 when none is left to act on."""
    active = [b for b in _group(actor, group_id) if b.status in Booking.ACTIVE]
    if not active:
        raise Conflict(f"No booking of group {group_id} is active any more.")
    return active


@transaction.atomic
def cancel_group(actor, group_id, reason: str = "") -> list[Booking]:
    """Cancel every still active booking of a multi-device request (owner only)."""
    return [_cancel(actor, b, reason) for b in _active_in_group(actor, group_id)]


@transaction.atomic
def extend_group(actor, group_id, new_end: datetime) -> list[Booking]:
    """Extend every active booking of a group to ``new_end``; one clash refuses them all."""
    return [_extend(actor, b, new_end) for b in _active_in_group(actor, group_id)]


@transaction.atomic
def rebook(actor, booking: Booking | int, on: date) -> list[Booking]:
    """Book the same device(s) again from day ``on``, keeping each booking's time of day, day offset and length.

    A booking of a group rebooks the whole group as a new group. Owner or collaborator; the new
    bookings belong to ``actor`` and go through every rule a new request does.
    """
    require_role(actor, MEMBER, "book devices")
    booking = get_booking(booking)
    _require_holder(actor, booking, "rebook")
    sources = list(Booking.objects.filter(group_id=booking.group_id).order_by("start", "device_id")) \
        if booking.group_id else [booking]
    first_day = min(timezone.localtime(b.start).date() for b in sources)
    shift = timedelta(days=(on - first_day).days)
    group_id = uuid.uuid4() if len(sources) > 1 else None
    created = []
    for source in sorted(sources, key=lambda b: b.device_id):
        collaborators = [u for u in source.collaborators.all() if u.pk != actor.pk]
        if source.user_id != actor.pk:
            collaborators.append(source.user)
        created.append(_request(
            actor, source.device_id, _shift(source.start, shift), _shift(source.end, shift),
            comment=source.comment, collaborators=collaborators, group_id=group_id,
        ))
    return created


def _shift(moment: datetime, days: timedelta) -> datetime:
    """Shift by whole local days, so 09:00 stays 09:00 across a daylight-saving change."""
    local = timezone.localtime(moment)
    return timezone.make_aware(local.replace(tzinfo=None) + days)
