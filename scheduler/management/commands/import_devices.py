"""``manage.py import_devices <csv>``: add or update bookable devices from a CSV file.

Columns: ``name`` (required), and any of ``description``, ``status``, ``max_holders``,
``min_minutes``, ``max_minutes``, ``max_days_ahead``, ``max_hours_per_day``,
``requires_qualification``, ``auto_approve``, ``device_type`` (an inventory device type
name). Each row goes through the device services; a bad row is reported with its line
number and nothing is imported.
"""
import csv
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import ADMIN, OPERATOR, has_role
from core.context import use_context
from core.errors import DomainError
from scheduler import services
from scheduler.models import Device

INTEGERS = ["max_holders", "min_minutes", "max_minutes", "max_days_ahead"]
BOOLEANS = ["requires_qualification", "auto_approve"]
TRUE, FALSE = {"1", "true", "yes", "y"}, {"0", "false", "no", "n", ""}


def parse_row(row: dict) -> dict:
    """The device fields of one CSV row; ValueError with a message when a value is wrong."""
    fields = {}
    name = (row.get("name") or "").strip()
    if not name:
        raise ValueError("name is empty")
    fields["name"] = name
    if row.get("description"):
        fields["description"] = row["description"].strip()
    if row.get("status"):
        if row["status"].strip() not in Device.Status.values:
            raise ValueError(f"status must be one of {', '.join(Device.Status.values)}")
        fields["status"] = row["status"].strip()
    for key in INTEGERS:
        if (row.get(key) or "").strip():
            try:
                fields[key] = int(row[key])
            except ValueError:
                raise ValueError(f"{key} must be a whole number")
    if (row.get("max_hours_per_day") or "").strip():
        try:
            fields["max_hours_per_day"] = Decimal(row["max_hours_per_day"])
        except InvalidOperation:
            raise ValueError("max_hours_per_day must be a number")
    for key in BOOLEANS:
        if key in row and row[key] is not None:
            value = row[key].strip().lower()
            if value not in TRUE | FALSE:
                raise ValueError(f"{key} must be true or false")
            fields[key] = value in TRUE
    if (row.get("device_type") or "").strip():
        device_type = apps.get_model("inventory", "DeviceType").objects.filter(name=row["device_type"].strip()).first()
        if device_type is None:
            raise ValueError(f"there is no device type named {row['device_type']!r}")
        fields["device_type"] = device_type
    return fields


class Command(BaseCommand):
    help = "Add or update devices from a CSV file (name, status, max_holders, policy columns...)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file with a header row")
        parser.add_argument("--as", dest="username", default=None,
                            help="operator or admin to record as the actor (default: the first superuser)")

    def handle(self, *args, path, username, **options):
        """Read the file, then create or update each device through the services in one transaction."""
        from django.contrib.auth import get_user_model

        users = get_user_model().objects
        actor = users.filter(username=username).first() if username else \
            users.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if actor is None or not (has_role(actor, OPERATOR) or has_role(actor, ADMIN)):
            raise CommandError("Name an operator or admin with --as (or create a superuser first).")
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.DictReader(handle))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.")
        created = updated = 0
        with use_context(via="command"), transaction.atomic():
            for line, row in enumerate(rows, start=2):
                try:
                    fields = parse_row(row)
                    existing = Device.objects.filter(name=fields["name"]).first()
                    if existing:
                        services.update_device(actor, existing, **fields)
                        updated += 1
                    else:
                        services.create_device(actor, **fields)
                        created += 1
                except (ValueError, DomainError) as exc:
                    raise CommandError(f"{path} line {line}: {getattr(exc, 'detail', exc)}. Nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"Devices: {created} created, {updated} updated."))
