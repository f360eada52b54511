"""``manage.py expire_bookings``: mark undecided bookings that have ended as expired."""
from django.core.management.base import BaseCommand

from core.context import use_context
from scheduler import services


class Command(BaseCommand):
    help = "Expire pending and conflicting bookings whose end has passed (beat runs the same service)."

    def handle(self, *args, **options):
        """Call the expiry service and say how many bookings it expired."""
        with use_context(via="command"):
            count = services.expire_bookings()
        self.stdout.write(self.style.SUCCESS(f"Expired {count} booking(s)."))
