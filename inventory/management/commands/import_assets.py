"""``manage.py import_assets <csv>``: create assets from a CSV file; a bad row imports nothing."""
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from core.context import use_context
from core.errors import DomainError
from inventory import services


class Command(BaseCommand):
    help = "Import assets from CSV (columns as in /api/inventory/assets/export.csv); all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as", dest="username", default=None,
                            help="Operator to record as the actor (default: the first superuser).")

    def handle(self, path, username=None, **options):
        """Read the file and call ``services.import_assets``; row errors are printed by line."""
        actor = User.objects.filter(username=username).first() if username else \
            User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
        if actor is None:
            raise CommandError("No such user; pass --as <operator username>.")
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.")
        try:
            with use_context(via="command"):
                created = services.import_assets(actor, data)
        except DomainError as exc:
            for row in exc.extra.get("rows", []):
                self.stderr.write(f"line {row['line']}: {row['error']}")
            raise CommandError(exc.detail)
        self.stdout.write(self.style.SUCCESS(f"Imported {len(created)} asset(s)."))
