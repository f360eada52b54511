"""Every change of scheduler state goes through one of these functions.

They take plain arguments and the acting user, run in one transaction, raise
``core.errors`` domain errors, and leave an audit entry and a bus event.
"""
from .bookings import cancel_booking, cancel_group, create_booking, create_group, extend_booking, extend_group, rebook
from .decisions import approve_booking, bulk_decide, expire_bookings, queue_reminders, reject_booking
from .devices import (
    add_favourite,
    add_maintenance,
    cancel_maintenance,
    create_device,
    delete_device,
    feed_token,
    remove_favourite,
    rotate_feed_token,
    update_device,
)
from .imports import import_devices
from .power import (
    apply_power_schedule,
    create_pdu,
    delete_pdu,
    read_pdu_status,
    reconcile_power,
    set_outlet,
    switch_outlet,
    update_pdu,
)
from .series import create_series

__all__ = [
    "add_favourite", "add_maintenance", "approve_booking", "bulk_decide", "cancel_booking", "cancel_group",
    "cancel_maintenance",
    "create_booking", "create_device", "create_group", "create_series", "delete_device", "expire_bookings",
    "extend_booking", "extend_group", "feed_token", "import_devices", "queue_reminders", "rebook", "reject_booking",
    "remove_favourite", "rotate_feed_token", "update_device",
    "apply_power_schedule", "create_pdu", "delete_pdu", "read_pdu_status", "reconcile_power", "set_outlet",
    "switch_outlet", "update_pdu",
]
