"""``manage.py seed_demo``: demo data from every app, safe to run again."""
import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.context import use_context


class Command(BaseCommand):
    help = "Load demo users and a few objects of each domain (idempotent)."

    def handle(self, *args, **options):
        """Call ``seed(stdout)`` of each app's ``demo`` module, in INSTALLED_APPS order."""
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
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Open http://127.0.0.1:8000/"))
