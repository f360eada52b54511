"""Devices, maintenance windows, favourites and calendar feed tokens."""
from datetime import datetime

from django.db import transaction
from django.db.models import ProtectedError

from accounts.roles import OPERATOR, VIEWER, require_role
from core import audit, events
from core.errors import Conflict, NotFound, RuleViolation, check_fields
from core.parsing import as_id

from .. import queries
from ..events import (
    DEVICE_CHANGED,
    DEVICE_DELETED,
    FAVOURITE_ADDED,
    FAVOURITE_REMOVED,
    MAINTENANCE_CANCELLED,
    MAINTENANCE_SCHEDULED,
)
from ..models import CalendarFeed, Device, Favourite, MaintenanceWindow, new_feed_token
from .common import check_times, lock_device

DEVICE_FIELDS = [
    "name", "description", "device_type", "asset", "status", "owner_group", "max_holders", "min_minutes",
    "max_minutes", "max_days_ahead", "max_hours_per_day", "requires_qualification", "auto_approve",
    "books_linked_devices",
]


def _device_data(device: Device) -> dict:
    return {"id": device.pk, "name": device.name, "status": device.status, "summary": f"{device.name} {device.status}"}


def _publish_device(device: Device, type: str) -> None:
    events.publish(["scheduler", f"device:{device.pk}"], type, _device_data(device))


def _check_policy_fields(device: Device) -> None:
    check_fields(device)
    if device.max_holders is not None and device.max_holders < 1:
        raise RuleViolation("A device needs at least one holder.", fields={"max_holders": ["at least 1"]})
    if device.min_minutes and device.max_minutes and device.min_minutes > device.max_minutes:
        raise RuleViolation("The minimum length is longer than the maximum.", fields={"min_minutes": ["> max"]})


@transaction.atomic
def create_device(actor, *, qualified_users=None, **fields) -> Device:
    """Add a bookable device (operators)."""
    require_role(actor, OPERATOR, "add devices")
    unknown = set(fields) - set(DEVICE_FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown device field(s): {', '.join(sorted(unknown))}.")
    if Device.objects.filter(name=fields.get("name")).exists():
        raise Conflict(f"A device named {fields.get('name')!r} already exists.", fields={"name": ["taken"]})
    device = Device(**fields)
    _check_policy_fields(device)
    device.save()
    if qualified_users is not None:
        device.qualified_users.set(qualified_users)
    audit.record(actor, "device.create", device, {name: [None, value] for name, value in fields.items()})
    _publish_device(device, DEVICE_CHANGED)
    return device


@transaction.atomic
def update_device(actor, device: Device, *, qualified_users=None, **fields) -> Device:
    """Change a device's fields or policy (operators); existing bookings keep their status."""
    require_role(actor, OPERATOR, "change devices")
    device = lock_device(device)
    unknown = set(fields) - set(DEVICE_FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown device field(s): {', '.join(sorted(unknown))}.")
    if "name" in fields and Device.objects.filter(name=fields["name"]).exclude(pk=device.pk).exists():
        raise Conflict(f"A device named {fields['name']!r} already exists.", fields={"name": ["taken"]})

    def set_qualified_users(device):
        if qualified_users is None:
            return {}
        old = sorted(device.qualified_users.values_list("pk", flat=True))
        device.qualified_users.set(qualified_users)
        new = sorted(u.pk for u in qualified_users)
        return {"qualified_users": [old, new]} if old != new else {}

    audit.apply_changes(actor, "device.update", device, fields, check=_check_policy_fields,
                        then=set_qualified_users)
    _publish_device(device, DEVICE_CHANGED)
    return device


@transaction.atomic
def delete_device(actor, device: Device) -> None:
    """Remove a device that was never booked; one with bookings should be set unavailable instead."""
    require_role(actor, OPERATOR, "delete devices")
    device = lock_device(device)
    data = _device_data(device)
    audit.record(actor, "device.delete", device, {"name": [device.name, None]})
    try:
        with transaction.atomic():
            device.delete()
    except ProtectedError:
        raise Conflict(f"{device} has bookings and cannot be deleted: set its status to unavailable instead.")
    events.publish(["scheduler", f"device:{data['id']}"], DEVICE_DELETED, data)


@transaction.atomic
def add_maintenance(actor, device: Device, start: datetime, end: datetime, reason: str = "") -> MaintenanceWindow:
    """Block a device for maintenance; the event lists active bookings inside the window for follow-up."""
    require_role(actor, OPERATOR, "schedule maintenance")
    check_times(start, end)
    device = lock_device(device)
    window = MaintenanceWindow.objects.create(device=device, start=start, end=end, reason=reason, created_by=actor)
    affected = [b.pk for b in queries.overlapping(device.pk, start, end)]
    audit.record(actor, "device.maintenance", device, {"maintenance": [None, [str(start), str(end), reason]]})
    events.publish(["scheduler", f"device:{device.pk}"], MAINTENANCE_SCHEDULED,
                   {**_device_data(device), "start": start, "end": end, "reason": reason, "affected": affected})
    return window


@transaction.atomic
def cancel_maintenance(actor, device: Device, window_id) -> None:
    """Call off a maintenance window (operators); its time can be booked again."""
    require_role(actor, OPERATOR, "cancel maintenance")
    device = lock_device(device)
    window = MaintenanceWindow.objects.filter(pk=as_id(window_id), device=device).first()
    if window is None:
        raise NotFound(f"Device {device.pk} has no maintenance window {window_id}.")
    window.delete()
    audit.record(actor, "device.maintenance_cancel", device,
                 {"maintenance": [[str(window.start), str(window.end), window.reason], None]})
    events.publish(["scheduler", f"device:{device.pk}"], MAINTENANCE_CANCELLED,
                   {**_device_data(device), "start": window.start, "end": window.end, "reason": window.reason})


def _favourite_changed(actor, device: Device, added: bool) -> None:
    """Audit and publish a favourite change; only its owner's topic hears of it."""
    audit.record(actor, "favourite.add" if added else "favourite.remove", device, {"favourite": [not added, added]})
    events.publish(f"user:{actor.pk}", FAVOURITE_ADDED if added else FAVOURITE_REMOVED,
                   {"device": device.pk, "name": device.name})


@transaction.atomic
def add_favourite(actor, device: Device) -> Favourite:
    """Keep a device at hand; adding it twice is harmless."""
    require_role(actor, VIEWER, "keep favourites")
    device_id = device.pk if isinstance(device, Device) else device
    try:
        device = Device.objects.get(pk=device_id)
    except (Device.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"There is no device {device_id}.")
    favourite, created = Favourite.objects.get_or_create(user=actor, device=device)
    if created:
        _favourite_changed(actor, device, added=True)
    return favourite


@transaction.atomic
def remove_favourite(actor, device: Device) -> None:
    """Drop a device from one's favourites."""
    require_role(actor, VIEWER, "keep favourites")
    device_id = device.pk if isinstance(device, Device) else device
    favourite = Favourite.objects.filter(user=actor, device_id=device_id).select_related("device").first()
    if favourite is None:
        raise NotFound(f"Device {device_id} is not among your favourites.")
    favourite.delete()
    _favourite_changed(actor, favourite.device, added=False)


def feed_token(user) -> str:
    """The user's calendar feed token, created on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed.token


@transaction.atomic
def rotate_feed_token(actor) -> str:
    """Replace the user's feed token; old subscriptions stop working."""
    feed, _ = CalendarFeed.objects.get_or_create(user=actor)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    audit.record(actor, "calendar_feed.rotate", feed, {"token": ["(old)", "(new)"]})
    return feed.token
