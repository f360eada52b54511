"""Event types the inventory publishes on the bus.

Asset events go to ``inventory`` and ``asset:<id>``; stock and material events to
``inventory`` and ``material:<id>``; catalogue and location events to ``inventory``.
Every payload names the row by id (``asset``, ``material``, ``location`` or ``id``).
"""

ASSET_CREATED = "asset.created"
"""An asset was registered; ``data.inventory_id`` is its new inventory number."""

ASSET_UPDATED = "asset.updated"
"""An asset's fields changed (retiring it too); ``data.changes`` maps each field to ``[old, new]``."""

ASSET_CHECKED_OUT = "asset.checked_out"
"""An asset was lent to a person or a project; ``data.checkout`` is the loan."""

ASSET_CHECKED_IN = "asset.checked_in"
"""A lent asset came back; ``data.checkout`` is the loan now closed."""

ASSET_MAINTAINED = "asset.maintained"
"""A maintenance record was added to an asset; ``data.next_due`` is when it is due again."""

ASSET_ATTACHMENT_ADDED = "asset.attachment_added"
"""A file (manual, certificate, photo) was attached to an asset."""

MAINTENANCE_OVERDUE = "maintenance.overdue"
"""An asset's maintenance date has passed without a new record (sent once per due date)."""

MAINTENANCE_UPCOMING = "maintenance.upcoming"
"""An asset's maintenance falls due within the reminder window (sent once per due date)."""

MAINTENANCE_REMINDERS = {"overdue": MAINTENANCE_OVERDUE, "upcoming": MAINTENANCE_UPCOMING}
"""The reminder event for each kind of reminder the daily run sends."""

MATERIAL_CREATED = "material.created"
"""A consumable material was added to the catalogue."""

MATERIAL_UPDATED = "material.updated"
"""A material's fields (name, unit, reorder level...) changed; ``data.changes`` has ``[old, new]`` pairs."""

MATERIAL_LOW_STOCK = "material.low_stock"
"""Free stock fell below the reorder level (once, until it recovers)."""

MATERIAL_RESTOCKED = "material.restocked"
"""Free stock is back at or above the reorder level after a low-stock event."""

STOCK_RECEIVED = "stock.received"
"""Stock arrived at a location; every stock event carries the movement and the item's new quantities."""

STOCK_CONSUMED = "stock.consumed"
"""Stock was used up."""

STOCK_ALLOCATED = "stock.allocated"
"""Stock was set aside for a holder (a project, a job) without leaving the shelf."""

STOCK_RELEASED = "stock.released"
"""Set-aside stock was given back to the free pool."""

STOCK_ADJUSTED = "stock.adjusted"
"""On-hand stock was corrected by a signed amount (breakage, a find)."""

STOCK_COUNTED = "stock.counted"
"""A stocktake set the on-hand quantity to what was counted."""

STOCK_TRANSFERRED = "stock.transferred"
"""Stock moved between locations; published for both the source and the target item."""

LOCATION_CREATED = "location.created"
"""A room, shelf, rack or bin was added to the location tree."""

LOCATION_UPDATED = "location.updated"
"""A location was renamed or moved; the paths under it changed with it."""

LOCATION_DELETED = "location.deleted"
"""An empty location was removed."""

DEVICE_TYPE_CREATED = "devicetype.created"
"""A kind of device was added to the catalogue."""

DEVICE_TYPE_UPDATED = "devicetype.updated"
"""A device type's fields changed."""

DEVICE_TYPE_DELETED = "devicetype.deleted"
"""An unused device type was removed."""

MANUFACTURER_CREATED = "manufacturer.created"
"""A manufacturer was added."""

MANUFACTURER_UPDATED = "manufacturer.updated"
"""A manufacturer's fields changed."""

MANUFACTURER_DELETED = "manufacturer.deleted"
"""An unused manufacturer was removed."""

TAG_CREATED = "tag.created"
"""A tag was added."""

TAG_UPDATED = "tag.updated"
"""A tag's name or colour changed."""

TAG_DELETED = "tag.deleted"
"""An unused tag was removed."""

CATALOG_EVENTS = {
    "devicetype": (DEVICE_TYPE_CREATED, DEVICE_TYPE_UPDATED, DEVICE_TYPE_DELETED),
    "manufacturer": (MANUFACTURER_CREATED, MANUFACTURER_UPDATED, MANUFACTURER_DELETED),
    "tag": (TAG_CREATED, TAG_UPDATED, TAG_DELETED),
}
"""Created, updated and deleted events of each catalogue table, by model name."""
