"""Celery tasks: thin wrappers that call the services."""
from celery import shared_task

from core.context import use_context

from . import services


@shared_task(name="inventory.tasks.maintenance_due")
def maintenance_due(days_ahead: int | None = None) -> dict:
    """Remind operators of upcoming and overdue maintenance (each reminder once); runs from beat."""
    with use_context(via="task"):
        return services.send_maintenance_reminders(days_ahead=days_ahead)
