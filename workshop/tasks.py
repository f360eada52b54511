"""Celery tasks of the workshop app: thin, they call services."""
from celery import shared_task

from .services.system import check_system


@shared_task(name="workshop.tasks.check_system")
def check_system_task() -> int:
    """Check the host and services and raise warnings; the number of checks over their limits."""
    return len(check_system()["warnings"])
