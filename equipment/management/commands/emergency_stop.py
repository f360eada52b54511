"""``manage.py emergency_stop [--machine ID] --user NAME``: stop one machine or all of them."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from equipment import services
from equipment.models import Machine


class Command(BaseCommand):
    help = "Stop one machine, or every connected machine, at once (as the given user)."

    def add_arguments(self, parser):
        parser.add_argument("--machine", type=int, help="the machine's id; all machines when left out")
        parser.add_argument("--user", required=True, help="who is stopping (username)")
        parser.add_argument("--reason", default="")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        try:
            if options["machine"]:
                machine = Machine.objects.filter(pk=options["machine"]).first()
                if machine is None:
                    raise CommandError(f"No machine {options['machine']}.")
                commands = [services.emergency_stop(user, machine, options["reason"])]
            else:
                commands = services.emergency_stop_all(user, options["reason"])
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(f"Stopped {len(commands)} machine(s).")
