"""Check the host and services now and print the warnings."""
from django.core.management.base import BaseCommand

from workshop.services.system import check_system


class Command(BaseCommand):
    help = "Check the host, services, gateway and machines; print each check over its limit."

    def handle(self, *args, **options):
        status = check_system()
        for name, warning in sorted(status["warnings"].items()):
            self.stdout.write(f"WARNING {name}: {warning['summary']}")
        if not status["warnings"]:
            self.stdout.write("Everything within its limits.")
