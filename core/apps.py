"""Core app: what every domain app shares."""
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Platform"

    def ready(self):
        from . import topics
        from .api.ids import refuse_fractional_ids

        topics.register_core_topics()
        refuse_fractional_ids()
