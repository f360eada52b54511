"""CSV import of assets and materials: every row is checked, and nothing is kept when any row is bad.

Each row goes through the same service as a single create (which checks the model's own field
rules: lengths, ranges, decimal places), inside its own savepoint; a refused row is reported
by its line and the import goes on to find the next, then everything is rolled back.

The standard ``csv`` module is enough here: the rules per row are the services' own, so a
generic import library would only add a second place where validation could differ.
"""
from datetime import date

from django.contrib.auth.models import Group
from django.db import DataError, IntegrityError, transaction

from accounts.roles import OPERATOR, require_role
from core.csv_import import decode, finish, read_rows, row_error
from core.errors import DomainError, RuleViolation
from core.parsing import as_id

from ..models import DeviceType, Location, Manufacturer, Material, Tag
from .assets import create_asset
from .common import money
from .stock import create_material, receive_stock, update_material

ASSET_COLUMNS = ["name", "serial_number", "device_type", "manufacturer", "location", "rack_position",
                 "management_ip", "status", "owner_group", "tags", "notes", "purchase_date", "purchase_cost",
                 "warranty_until"]
MATERIAL_COLUMNS = ["sku", "name", "category", "unit", "cost_per_unit", "supplier", "reorder_level", "notes",
                    "quantity", "location", "lot"]


def _lookup(model, field, value, column):
    if not value:
        return None
    found = model.objects.filter(**{f"{field}__iexact": value}).first()
    if found is None:
        raise RuleViolation(f"{column}: there is no {model._meta.verbose_name} '{value}'.")
    return found


def _date(value, column):
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RuleViolation(f"{column}: '{value}' is not a date (use YYYY-MM-DD).")


def _int(value, column):
    if not value:
        return None
    number = as_id(value)
    if number is None:
        raise RuleViolation(f"{column}: '{value}' is not a whole number above zero.")
    return number


@transaction.atomic
def import_assets(actor, data: bytes | str) -> list:
    """Create one asset per CSV row (operators); errors are reported by line and nothing is kept."""
    require_role(actor, OPERATOR, "import assets")
    created, errors = [], []
    for line, row in read_rows(decode(data), ["name", "device_type"], ASSET_COLUMNS):
        try:
            with transaction.atomic():
                tags = [_lookup(Tag, "name", t.strip(), "tags") for t in row.get("tags", "").split(";") if t.strip()]
                fields = {
                    "name": row["name"], "serial_number": row.get("serial_number", ""),
                    "device_type": _lookup(DeviceType, "name", row["device_type"], "device_type"),
                    "manufacturer": _lookup(Manufacturer, "name", row.get("manufacturer"), "manufacturer"),
                    "location": _lookup(Location, "full_name", row.get("location"), "location"),
                    "rack_position": _int(row.get("rack_position"), "rack_position"),
                    "management_ip": row.get("management_ip") or None,
                    "status": row.get("status") or "active",
                    "owner_group": _lookup(Group, "name", row.get("owner_group"), "owner_group"),
                    "notes": row.get("notes", ""),
                    "purchase_date": _date(row.get("purchase_date"), "purchase_date"),
                    "warranty_until": _date(row.get("warranty_until"), "warranty_until"),
                }
                if fields["device_type"] is None:
                    raise RuleViolation("device_type is required.")
                if row.get("purchase_cost"):
                    fields["purchase_cost"] = money(row["purchase_cost"], "purchase_cost")
                created.append(create_asset(actor, tags=tags, **fields))
        except (DomainError, DataError, IntegrityError) as exc:
            errors.append(row_error(line, exc))
    return finish(created, errors, "assets")


@transaction.atomic
def import_materials(actor, data: bytes | str) -> list:
    """Create or update materials by SKU and receive any given quantity (operators); all or nothing."""
    require_role(actor, OPERATOR, "import materials")
    done, errors = [], []
    for line, row in read_rows(decode(data), ["sku", "name", "unit"], MATERIAL_COLUMNS):
        try:
            with transaction.atomic():
                fields = {k: row[k] for k in ("sku", "name", "category", "unit", "cost_per_unit", "supplier",
                                              "reorder_level", "notes") if row.get(k, "") != ""}
                if fields.get("category") and fields["category"] not in Material.Category.values:
                    raise RuleViolation(f"category must be one of {', '.join(Material.Category.values)}.")
                existing = Material.objects.filter(sku__iexact=row["sku"]).first()
                material = update_material(actor, existing, **fields) if existing else create_material(actor,
                                                                                                       **fields)
                if row.get("quantity"):
                    location = _lookup(Location, "full_name", row.get("location"), "location")
                    if location is None:
                        raise RuleViolation("location is required when quantity is given.")
                    receive_stock(actor, material, row["quantity"], location=location, lot=row.get("lot", ""),
                                  reason="CSV import")
                done.append(material)
        except (DomainError, DataError, IntegrityError) as exc:
            errors.append(row_error(line, exc))
    return finish(done, errors, "materials")
