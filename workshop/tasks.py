"""Celery tasks of the workshop app: thin, they call services."""
from celery import shared_task

from .services.system import check_system


@shared_task(name="workshop.tasks.check_system")
def check_system_task() -> int:
    """Check the host and services and raise warnings; the number of checks over their limits."""
    return len(check_system()["warnings"])


@shared_task(name="workshop.tasks.watch_cameras")
def watch_cameras_task() -> int:
    """Snapshot the cameras of machines running a job and check each for a stall; snapshots taken."""
    from .services.vision import watch_cameras

    return watch_cameras()


@shared_task(name="workshop.tasks.prune_snapshots")
def prune_snapshots_task() -> int:
    """Delete snapshots past their keeping time; the number removed."""
    from .services.vision import prune_snapshots

    return prune_snapshots()
