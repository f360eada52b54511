"""Celery tasks of the workflows app: thin, they call services."""
from celery import shared_task

from . import services
from .models import Run, Workflow


@shared_task
def sweep() -> dict:
    """Every few seconds (beat): silent agents go offline, overdue tasks time out, due scheduled runs start."""
    return {
        "offline": services.mark_silent_agents_offline(),
        "timed_out": services.time_out_overdue_tasks(),
        "released": services.release_due_runs(),
    }


@shared_task
def start_scheduled_run(workflow_id: int) -> int | None:
    """A django-celery-beat schedule starts a run of the workflow (skipped when it was removed or disabled)."""
    workflow = Workflow.objects.filter(pk=workflow_id, enabled=True).first()
    if workflow is None:
        return None
    return services.start_workflow(None, workflow, origin=Run.Origin.SCHEDULE, detail="cron schedule").pk
