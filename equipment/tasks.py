"""Celery tasks of the equipment app (routed to the ``hardware`` queue): thin, they call services."""
from celery import shared_task

from . import services


@shared_task
def prune_telemetry():
    """Downsample and prune telemetry by age (beat, hourly)."""
    return services.prune_telemetry()


@shared_task
def watchdog():
    """Raise safety events for running machines whose telemetry went silent (beat, every 10 s)."""
    return len(services.watchdog())
