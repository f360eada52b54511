"""Celery tasks of the workshop app: thin, they call services."""
from celery import shared_task

from .services.system import check_system


@shared_task(name="workshop.tasks.check_system")
def check_system_task() -> int:
    """Check the host and services and raise warnings; the number of checks over their limits."""
    return len(check_system()["warnings"])


@shared_task(name="workshop.tasks.render_timelapse")
def render_timelapse_task(job_id: int) -> int:
    """Render an ended job's snapshots into its timelapse (queued by the gateway's camera capture); videos made."""
    from .services.timelapse import render_timelapse

    return len(render_timelapse(job_id))


@shared_task(name="workshop.tasks.prune_snapshots")
def prune_snapshots_task() -> int:
    """Delete snapshots and timelapses past their keeping time; the number removed."""
    from .services.vision import prune_snapshots

    return prune_snapshots()
