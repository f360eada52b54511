"""Scheduler app: bookable devices, bookings, approvals."""
from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "scheduler"
    verbose_name = "Scheduler"

    def ready(self):
        # Imported here, once the app registry is ready: the checks and topics read models.
        from core import topics

        from .access import may_follow_calendar, may_follow_device, may_follow_pdu

        topics.register("scheduler", may_follow_calendar)
        topics.register("device", may_follow_device)
        topics.register("pdu", may_follow_pdu)
