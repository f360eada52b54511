"""``manage.py prune_telemetry``: downsample old telemetry to one sample a minute and delete what is past keeping."""
from django.core.management.base import BaseCommand

from equipment import services


class Command(BaseCommand):
    help = "Average raw telemetry older than EQUIPMENT_TELEMETRY_RAW_HOURS per minute; delete past the keep days."

    def handle(self, *args, **options):
        result = services.prune_telemetry()
        self.stdout.write(f"Downsampled {result['downsampled']} raw sample(s); deleted {result['deleted']}.")
