"""``manage.py rebuild_search``: recompute every meeting's full-text search vector."""
from django.core.management.base import BaseCommand

from meetings.services import rebuild_search


class Command(BaseCommand):
    help = "Recompute the full-text search vector of every meeting (PostgreSQL; nothing to do embedded)."

    def handle(self, *args, **options):
        count = rebuild_search()
        self.stdout.write(f"Search rebuilt for {count} meetings.")
