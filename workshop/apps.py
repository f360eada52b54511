"""Workshop app: system status, voice commands, device discovery, rooms and cameras, on top of equipment."""
from django.apps import AppConfig


class WorkshopConfig(AppConfig):
    name = "workshop"
    verbose_name = "Workshop"

    def ready(self):
        from core import topics

        from .access import may_follow_room, may_follow_workshop

        topics.register("workshop", may_follow_workshop)
        topics.register("room", may_follow_room)
