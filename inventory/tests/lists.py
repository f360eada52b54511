"""List endpoints of the inventory for the query-count table (see core.testing.ListCase)."""
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.testing import ListCase
from core.tests.factories import AuditEntryFactory
from inventory.models import Asset, Location

from .factories import (
    AssetFactory,
    CheckoutFactory,
    DeviceTypeFactory,
    LocationFactory,
    MaintenanceRecordFactory,
    ManufacturerFactory,
    MaterialFactory,
    StockItemFactory,
    StockMovementFactory,
    TagFactory,
)


def _asset_tagged_placed_and_lent(user):
    asset = AssetFactory(location=LocationFactory(), manufacturer=ManufacturerFactory())
    asset.tags.add(TagFactory())
    CheckoutFactory(asset=asset)


def _material_in_stock(user, reorder_level="0"):
    StockItemFactory(material=MaterialFactory(reorder_level=Decimal(reorder_level)), quantity=Decimal("5"))


def _listed_asset():
    return Asset.objects.filter(inventory_id="LISTED").first() or AssetFactory(inventory_id="LISTED")


def asset_history(user):
    return f"/api/inventory/assets/{_listed_asset().pk}/history/"


def asset_maintenance(user):
    return f"/api/inventory/assets/{_listed_asset().pk}/maintenance/"


def asset_attachments(user):
    return f"/api/inventory/assets/{_listed_asset().pk}/attachments/"


def _attachment(user):
    from django.core.files.base import ContentFile

    from inventory.models import AssetAttachment

    AssetAttachment.objects.create(asset=_listed_asset(), file=ContentFile(b"manual", name="manual.pdf"),
                                   original_name="manual.pdf", content_type="application/pdf", size=6,
                                   uploaded_by=user)


def _asset_change(user):
    asset = _listed_asset()
    AuditEntryFactory(object_type="inventory.asset", object_id=str(asset.pk), object_repr=str(asset))


def _location_under_a_root(user):
    root = Location.objects.filter(name="Listed root").first() or LocationFactory(name="Listed root")
    LocationFactory(parent=root)


def _late_checkout(user):
    CheckoutFactory(expected_return=timezone.localdate() - timedelta(days=1))


LISTS = [
    ListCase("/api/inventory/device-types/", lambda user: DeviceTypeFactory(manufacturer=ManufacturerFactory())),
    ListCase("/api/inventory/manufacturers/", lambda user: ManufacturerFactory()),
    ListCase("/api/inventory/tags/", lambda user: TagFactory()),
    ListCase("/api/inventory/locations/", _location_under_a_root),
    ListCase("/api/inventory/assets/", _asset_tagged_placed_and_lent),
    ListCase("/api/inventory/checkouts/", lambda user: CheckoutFactory()),
    ListCase("/api/inventory/checkouts/overdue/", _late_checkout),
    ListCase("/api/inventory/maintenance/", lambda user: MaintenanceRecordFactory()),
    ListCase("/api/inventory/materials/", _material_in_stock),
    ListCase("/api/inventory/low-stock/", lambda user: _material_in_stock(user, reorder_level="100")),
    ListCase("/api/inventory/movements/", lambda user: StockMovementFactory()),
    ListCase(asset_history, _asset_change),
    ListCase(asset_maintenance, lambda user: MaintenanceRecordFactory(asset=_listed_asset())),
    ListCase(asset_attachments, _attachment),
]
