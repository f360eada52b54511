"""Reads that are more than a filter: stock levels, low stock, overdue lists, stats."""
import uuid
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.parsing import as_id

from .models import Asset, Checkout, Location, MaintenanceRecord, Material, StockItem

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=3))


def open_checkouts():
    return Checkout.objects.filter(checked_in_at__isnull=True).select_related("to_user")


def assets_for_list():
    """Assets with everything a list row shows, in a fixed number of queries."""
    return Asset.objects.select_related("device_type", "manufacturer", "location", "owner_group").prefetch_related(
        "tags", Prefetch("checkouts", queryset=open_checkouts(), to_attr="open_checkouts"))


def materials_with_stock():
    """Materials annotated with on hand, allocated and available over all locations."""
    return Material.objects.annotate(
        on_hand=Coalesce(Sum("stock_items__quantity"), ZERO),
        allocated=Coalesce(Sum("stock_items__allocated"), ZERO),
    ).annotate(available=ExpressionWrapper(F("on_hand") - F("allocated"),
                                           output_field=DecimalField(max_digits=14, decimal_places=3)))


def materials_for_list():
    return materials_with_stock().prefetch_related(
        Prefetch("stock_items", queryset=StockItem.objects.select_related("location").order_by("location__full_name")))


def low_stock():
    """Materials whose free stock is below their reorder level, worst first."""
    return materials_for_list().filter(reorder_level__gt=0, available__lt=F("reorder_level")).order_by(
        F("available") - F("reorder_level"), "name")


def location_subtree(location: Location):
    """The location and everything under it."""
    return Location.objects.filter(tree_path__startswith=location.tree_path)


def overdue_checkouts(today=None):
    today = today or timezone.localdate()
    return open_checkouts().filter(expected_return__lt=today).select_related("asset", "checked_out_by")


def maintenance_overdue(today=None, assets=None):
    """Assets in use whose maintenance date has passed: the one meaning of "maintenance overdue".

    ``assets`` narrows an existing queryset (a filtered list); retired assets are never overdue.
    """
    today = today or timezone.localdate()
    assets = Asset.objects.all() if assets is None else assets
    return assets.filter(next_maintenance_due__lt=today).exclude(status=Asset.Status.RETIRED)


def current_maintenance(records=None):
    """Maintenance records that set their asset's next due date (its newest), for assets in use."""
    records = MaintenanceRecord.objects.all() if records is None else records
    return records.filter(next_due__isnull=False, asset__next_maintenance_due=F("next_due")).exclude(
        asset__status=Asset.Status.RETIRED)


def maintenance_records_overdue(today=None, records=None):
    """The current records of assets whose maintenance is overdue (see ``maintenance_overdue``)."""
    today = today or timezone.localdate()
    return current_maintenance(records).filter(next_due__lt=today)


def maintenance_records_due_within(days: int, today=None, records=None):
    """The current records falling due from today to ``days`` days ahead."""
    today = today or timezone.localdate()
    return current_maintenance(records).filter(next_due__gte=today, next_due__lte=today + timedelta(days=days))


def stats() -> dict:
    """Counts of assets by type, status and top-level location, and the value of stock on hand."""
    by_type = list(Asset.objects.values("device_type__category", "device_type__name").annotate(count=Count("id"))
                   .order_by("device_type__category", "device_type__name"))
    by_status = dict(Asset.objects.values_list("status").annotate(count=Count("id")).order_by())
    locations = list(Location.objects.filter(parent__isnull=True).order_by("full_name"))
    # One grouped query per location path, summed per site in Python: the query count stays
    # the same however many sites there are.
    per_path = list(Asset.objects.filter(location__isnull=False).values_list("location__tree_path")
                    .annotate(count=Count("id")).order_by())
    by_location = [
        {"location": site.pk, "name": site.full_name,
         "count": sum(count for path, count in per_path if path.startswith(site.tree_path))}
        for site in locations
    ]
    unplaced = Asset.objects.filter(location__isnull=True).count()
    value = StockItem.objects.aggregate(v=Sum(F("quantity") * F("material__cost_per_unit"),
                                              output_field=DecimalField(max_digits=20, decimal_places=4)))["v"]
    materials = Material.objects.aggregate(total=Count("id"))
    return {
        "assets": {
            "total": Asset.objects.count(),
            "by_type": [{"category": r["device_type__category"], "device_type": r["device_type__name"],
                         "count": r["count"]} for r in by_type],
            "by_status": {s: by_status.get(s, 0) for s in Asset.Status.values},
            "by_location": by_location + [{"location": None, "name": "(no location)", "count": unplaced}],
            "checked_out": open_checkouts().count(),
            "checkouts_overdue": overdue_checkouts().count(),
            "maintenance_overdue": maintenance_overdue().count(),
        },
        "stock": {
            "materials": materials["total"],
            "low_stock": low_stock().count(),
            "value": str((value or Decimal(0)).quantize(Decimal("0.01"))),
        },
    }


def find_by_code(code: str):
    """The object a typed or scanned code names: an asset id or serial, a material SKU, a location, a label URL."""
    code = (code or "").strip()
    if not code:
        return None
    if "/inventory/" in code:  # a scanned label URL: take the object part
        parts = [p for p in code.split("/inventory/", 1)[1].split("/") if p]
        if len(parts) >= 2 and as_id(parts[1]) is not None:
            model = {"assets": Asset, "materials": Material, "locations": Location}.get(parts[0])
            if model:
                return model.objects.filter(pk=as_id(parts[1])).first()
    asset = Asset.objects.filter(Q(inventory_id__iexact=code) | Q(serial_number__iexact=code)).first()
    if asset:
        return asset
    material = Material.objects.filter(sku__iexact=code).first()
    if material:
        return material
    try:
        return Location.objects.filter(public_id=uuid.UUID(code)).first()
    except ValueError:  # not a UUID: maybe a location's full name
        return Location.objects.filter(full_name__iexact=code).first()
