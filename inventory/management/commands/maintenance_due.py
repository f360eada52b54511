"""``manage.py maintenance_due``: remind operators of upcoming and overdue maintenance (each once)."""
from django.core.management.base import BaseCommand

from core.context import use_context
from inventory import services


class Command(BaseCommand):
    help = "Send maintenance reminders: upcoming within --days days, and overdue."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="How far ahead counts as upcoming.")

    def handle(self, days=None, **options):
        """Call ``services.send_maintenance_reminders`` and print what was sent."""
        with use_context(via="command"):
            sent = services.send_maintenance_reminders(days_ahead=days)
        self.stdout.write(f"Reminders sent: {sent['overdue']} overdue, {sent['upcoming']} upcoming.")
