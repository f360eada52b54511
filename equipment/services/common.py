"""Pieces every equipment service shares: locking a machine, its event data, state moves."""
from django.utils import timezone

from core import events
from core.errors import NotFound
from core.parsing import as_id

from .. import states
from ..events import MACHINE_STATE
from ..models import Job, Machine


def lock_machine(machine_or_id) -> Machine:
    """Re-read a machine under a row lock (the instance a door holds may be stale)."""
    machine_id = as_id(getattr(machine_or_id, "pk", machine_or_id))
    machine = Machine.objects.select_for_update().filter(pk=machine_id).first() if machine_id else None
    if machine is None:
        raise NotFound(f"There is no machine {machine_or_id}.")
    return machine


def lock_job(job_or_id) -> Job:
    """Re-read a job under a row lock."""
    job_id = as_id(getattr(job_or_id, "pk", job_or_id))
    job = Job.objects.select_for_update().select_related("machine").filter(pk=job_id).first() if job_id else None
    if job is None:
        raise NotFound(f"There is no job {job_or_id}.")
    return job


def machine_topics(machine_id: int) -> list[str]:
    return ["equipment", f"machine:{machine_id}"]


def machine_data(machine: Machine, **extra) -> dict:
    """A machine as events carry it."""
    data = {"machine": machine.pk, "name": machine.name, "state": machine.state, "kind": machine.kind}
    data.update(extra)
    return data


def job_data(job: Job, **extra) -> dict:
    """A job as events carry it."""
    data = {"machine": job.machine_id, "job": job.pk, "status": job.status, "name": job.original_name,
            "progress": job.progress, "lines_acked": job.lines_acked, "total_lines": job.total_lines}
    data.update(extra)
    return data


def move(machine: Machine, target: str, reason: str = "", *, checked: bool = True) -> bool:
    """Move a locked machine to ``target`` (checked against the transitions) and announce it.

    Returns False when it already was there. ``checked=False`` is for reports from the
    machine itself, which say where it *is* (it may have got there by a path we did not see).
    """
    if machine.state == target:
        return False
    if checked:
        states.check_move(machine.state, target)
    previous = machine.state
    machine.state, machine.state_reason, machine.state_changed_at = target, reason[:300], timezone.now()
    machine.save(update_fields=["state", "state_reason", "state_changed_at", "updated_at"])
    events.publish(machine_topics(machine.pk), MACHINE_STATE, machine_data(machine, previous=previous, reason=reason))
    return True
