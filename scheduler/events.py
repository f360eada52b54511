"""Event types the scheduler publishes on the bus.

Every booking event goes to ``scheduler`` (the calendar), ``device:<id>`` and
``user:<id>`` of the owner and of each collaborator; ``data`` is the booking as
``services.common.booking_data`` shapes it. Device events go to ``scheduler``
and ``device:<id>``.
"""

BOOKING_REQUESTED = "booking.requested"
"""A booking was created; its status (pending, conflicting or confirmed) was decided by the server."""

BOOKING_APPROVED = "booking.approved"
"""An operator confirmed a pending or conflicting booking."""

BOOKING_REJECTED = "booking.rejected"
"""An operator turned a booking down; ``data.reason`` says why."""

BOOKING_CANCELLED = "booking.cancelled"
"""The owner cancelled a booking; its collaborators see it cancelled too."""

BOOKING_EXTENDED = "booking.extended"
"""A booking's end moved later; ``data.previous_end`` is the old end."""

BOOKING_STATUS_CHANGED = "booking.status_changed"
"""Another booking's change moved this one between pending and conflicting."""

BOOKING_EXPIRED = "booking.expired"
"""An undecided booking ended before anyone decided it."""

DEVICE_CHANGED = "device.changed"
"""A device was created or its fields (status, policy, ...) changed."""

DEVICE_DELETED = "device.deleted"
"""A device without bookings was removed."""

MAINTENANCE_SCHEDULED = "device.maintenance_scheduled"
"""A maintenance window was added; ``data.affected`` lists active bookings inside it."""

MAINTENANCE_CANCELLED = "device.maintenance_cancelled"
"""A maintenance window was called off; its time can be booked again."""

FAVOURITE_ADDED = "favourite.added"
"""A user put a device among their favourites; published on ``user:<id>`` only."""

FAVOURITE_REMOVED = "favourite.removed"
"""A user dropped a device from their favourites; published on ``user:<id>`` only."""

PDU_CHANGED = "pdu.changed"
"""A PDU was added or its settings or outlets changed; published on ``pdu:<id>``."""

PDU_DELETED = "pdu.deleted"
"""A PDU and its outlets were removed; published on ``pdu:<id>``."""

OUTLET_SWITCHED = "outlet.switched"
"""An outlet was switched and the PDU reported its new state.

Published on ``pdu:<id>`` and ``device:<id>`` of each device it feeds;

``data.state`` is what the PDU reported, ``data.why`` is ``manual``, ``cycle``, ``schedule`` or ``always_on``.
"""

OUTLET_STATE_MISMATCH = "outlet.state_mismatch"
"""The PDU reported a state other than the recorded one (switched at the strip); the record follows the PDU."""
