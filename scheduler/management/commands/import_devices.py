"""``manage.py import_devices <csv>``: add or update bookable devices from a CSV file (see
``scheduler.services.imports`` for the columns); a bad row is reported by its line and nothing is imported.
"""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.context import use_context
from core.errors import DomainError
from scheduler import services


class Command(BaseCommand):
    help = "Add or update devices from a CSV file (name, status, max_holders, policy columns...)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file with a header row")
        parser.add_argument("--as", dest="username", default=None,
                            help="operator or admin to record as the actor (default: the first superuser)")

    def handle(self, *args, path, username, **options):
        """Read the file and call ``services.import_devices``; each bad row is printed with its line."""
        users = get_user_model().objects
        actor = users.filter(username=username).first() if username else \
            users.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("Name an operator or admin with --as (or create a superuser first).")
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.")
        try:
            with use_context(via="command"):
                counts = services.import_devices(actor, data)
        except DomainError as exc:
            rows = exc.extra.get("rows", [])
            for row in rows:
                self.stderr.write(f"line {row['line']}: {row['error']}")
            first = f"line {rows[0]['line']}: {rows[0]['error']}. " if rows else ""
            raise CommandError(f"{path}: {first}{exc.detail}")
        self.stdout.write(self.style.SUCCESS(f"Devices: {counts['created']} created, {counts['updated']} updated."))
