"""CSV import of bookable devices: add new ones and update those with the same name, all rows or none.

Columns: ``name`` (required), and any of ``description``, ``status``, ``max_holders``,
``min_minutes``, ``max_minutes``, ``max_days_ahead``, ``max_hours_per_day``,
``requires_qualification``, ``auto_approve``, ``device_type`` (an inventory device type name).
Each row goes through ``create_device`` or ``update_device`` in its own savepoint; every bad row
is reported by its line and nothing is kept (see ``core.csv_import``).
"""
from decimal import Decimal, InvalidOperation

from django.db import DataError, IntegrityError, transaction

from accounts.roles import OPERATOR, require_role
from core.csv_import import decode, finish, read_rows, row_error
from core.errors import DomainError, RuleViolation
from inventory.models import DeviceType

from ..models import Device
from .devices import create_device, update_device

DEVICE_COLUMNS = ["name", "description", "status", "max_holders", "min_minutes", "max_minutes", "max_days_ahead",
                  "max_hours_per_day", "requires_qualification", "auto_approve", "device_type"]
INTEGERS = ["max_holders", "min_minutes", "max_minutes", "max_days_ahead"]
BOOLEANS = ["requires_qualification", "auto_approve"]
TRUE, FALSE = {"1", "true", "yes", "y"}, {"0", "false", "no", "n", ""}


def device_fields(row: dict) -> dict:
    """The device fields of one CSV row; a RuleViolation naming the column when a value is wrong."""
    fields = {}
    name = (row.get("name") or "").strip()
    if not name:
        raise RuleViolation("name is empty", fields={"name": ["Required."]})
    fields["name"] = name
    if row.get("description"):
        fields["description"] = row["description"].strip()
    if row.get("status"):
        if row["status"].strip() not in Device.Status.values:
            raise RuleViolation(f"status must be one of {', '.join(Device.Status.values)}")
        fields["status"] = row["status"].strip()
    for key in INTEGERS:
        if (row.get(key) or "").strip():
            try:
                fields[key] = int(row[key])
            except ValueError:
                raise RuleViolation(f"{key} must be a whole number", fields={key: ["Not a whole number."]})
    if (row.get("max_hours_per_day") or "").strip():
        try:
            fields["max_hours_per_day"] = Decimal(row["max_hours_per_day"])
        except InvalidOperation:
            raise RuleViolation("max_hours_per_day must be a number")
    for key in BOOLEANS:
        if key in row and row[key] is not None:
            value = row[key].strip().lower()
            if value not in TRUE | FALSE:
                raise RuleViolation(f"{key} must be true or false")
            fields[key] = value in TRUE
    if (row.get("device_type") or "").strip():
        device_type = DeviceType.objects.filter(name=row["device_type"].strip()).first()
        if device_type is None:
            raise RuleViolation(f"there is no device type named {row['device_type']!r}")
        fields["device_type"] = device_type
    return fields


@transaction.atomic
def import_devices(actor, data: bytes | str) -> dict:
    """Create or update one device per CSV row, matched by name (operators); ``{"created", "updated"}`` counts."""
    require_role(actor, OPERATOR, "import devices")
    done, errors, created = [], [], 0
    for line, row in read_rows(decode(data), ["name"], DEVICE_COLUMNS):
        try:
            with transaction.atomic():
                fields = device_fields(row)
                existing = Device.objects.filter(name=fields["name"]).first()
                if existing:
                    done.append(update_device(actor, existing, **fields))
                else:
                    done.append(create_device(actor, **fields))
                    created += 1
        except (DomainError, DataError, IntegrityError) as exc:
            errors.append(row_error(line, exc))
    finish(done, errors, "devices")
    return {"created": created, "updated": len(done) - created}
