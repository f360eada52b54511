"""Follow the room devices on the broker: readings, power, limits (runs until stopped)."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workshop.services.rooms_live import prune_readings, watch_rooms


class Command(BaseCommand):
    help = "Record what lights, fans, air filters and sensors report over MQTT and raise their alerts."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=0, help="stop after this long (0: run until stopped)")

    def handle(self, *args, seconds, **options):
        if not settings.MQTT_URL:
            raise CommandError("MQTT_URL is not set.")
        if seconds:
            self.stdout.write(f"{watch_rooms(seconds, settings.MQTT_URL)} messages recorded")
            return
        while True:
            watch_rooms(60, settings.MQTT_URL)
            prune_readings()
