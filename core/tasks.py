"""Platform housekeeping tasks."""
from celery import shared_task

from . import events, outbox


@shared_task(name="core.tasks.prune_events")
def prune_events():
    """Keep the recent-events store bounded (``EVENTS_KEEP`` newest rows)."""
    return events.prune()


@shared_task(name="core.tasks.send_outbox")
def send_outbox():
    """Queue the background jobs kept in the outbox while the broker was down."""
    return outbox.sweep()
