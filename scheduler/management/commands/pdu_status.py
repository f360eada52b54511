"""Ask PDUs for their outlets' states and print them; the records follow what the PDUs report."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from scheduler import services
from scheduler.models import PDU


class Command(BaseCommand):
    help = "Read the outlet states of every PDU (or those named) and print them."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="PDU names (all when none is given)")
        parser.add_argument("--as", dest="username", required=True, help="operator or member doing the reading")

    def handle(self, *args, names, username, **options):
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"No user {username!r}.")
        pdus = PDU.objects.all()
        if names:
            pdus = pdus.filter(name__in=names)
            unknown = set(names) - set(pdus.values_list("name", flat=True))
            if unknown:
                raise CommandError(f"No PDU called {', '.join(sorted(unknown))}.")
        failed = 0
        for pdu in pdus:
            try:
                outlets = services.read_pdu_status(actor, pdu)
            except DomainError as exc:
                failed += 1
                self.stderr.write(f"{pdu.name}: {exc.detail}")
                continue
            for outlet in outlets:
                self.stdout.write(f"{pdu.name}\t{outlet.number}\t{outlet.name}\t{outlet.mode}\t{outlet.state}")
        if failed:
            raise CommandError(f"{failed} PDU(s) could not be read.")
