"""Listen on the broker for devices announcing themselves, and list them for adoption (never adopts)."""
from django.core.management.base import BaseCommand

from workshop.services.discovery import listen


class Command(BaseCommand):
    help = "Record devices that announce themselves (Home Assistant discovery, Tasmota LWT) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=0, help="stop after this long (0: run until stopped)")

    def handle(self, *args, seconds, **options):
        def found(device, created):
            if created:
                self.stdout.write(f"new device: {device.name} ({device.key}) under {device.topic_prefix}")

        if seconds:
            self.stdout.write(f"{listen(seconds, on_found=found)} announcements")
            return
        while True:
            listen(60, on_found=found)
