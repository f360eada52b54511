"""Platform housekeeping tasks."""
from celery import shared_task

from . import events


@shared_task(name="core.tasks.prune_events")
def prune_events():
    """Keep the recent-events store bounded (``EVENTS_KEEP`` newest rows)."""
    return events.prune()
