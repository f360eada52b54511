"""``manage.py seed_demo``: demo data from every app, safe to run again."""
import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from core.context import use_context


class Command(BaseCommand):
    help = "Load demo users and a few objects of each domain (idempotent)."

    def handle(self, *args, **options):
        """Call ``seed(stdout)`` of each app's ``demo`` module, in INSTALLED_APPS order; then say where to log in."""
        with use_context(via="command"):
            for config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                with transaction.atomic():
                    module.seed(self.stdout)
        # Last, so the address and the logins are what is left on screen after the demo's emails.
        from accounts.demo import DEMO_USERS, demo_password

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Benchtop is served at {settings.SITE_URL.rstrip('/')}/"))
        self.stdout.write(f"Demo logins (password {demo_password()} unless you changed it):")
        for username, role, name in DEMO_USERS:
            self.stdout.write(f"  {username:<9} {role:<8} {name}")
