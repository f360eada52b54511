"""Core app: what every domain app shares."""
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Platform"

    def ready(self):
        from . import topics

        topics.register_core_topics()
