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

        from equipment.gateway.hooks import gateway_started, gateway_stopped

        from .capture import start_with_gateway, stop_with_gateway

        gateway_started.connect(start_with_gateway, dispatch_uid="workshop-cameras-start")
        gateway_stopped.connect(stop_with_gateway, dispatch_uid="workshop-cameras-stop")

        from celery.signals import before_task_publish

        from .system import stamp_sent_at

        before_task_publish.connect(stamp_sent_at, dispatch_uid="workshop-task-sent-at", weak=False)
