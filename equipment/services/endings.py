"""How a job's end is written down: the time it was held, its machine hours on its task, a failure.

Shared by the job services (complete, cancel, a fault the gateway reports) and the emergency
stop in ``control``, so every way a job ends counts its machine time by the same rule.
"""
from decimal import ROUND_UP, Decimal

from django.db import transaction
from django.utils import timezone

from core import audit, events
from core.errors import DomainError

from ..events import JOB_CHANGED
from ..models import Job
from .common import job_data, machine_topics


def end_hold(job: Job, now=None) -> None:
    """A held (paused or interrupted) job goes on or ends: the time it was held is not machine time."""
    if job.paused_at is not None:
        job.paused_seconds += max(0, int(((now or timezone.now()) - job.paused_at).total_seconds()))
        job.paused_at = None


def machine_hours(job: Job) -> Decimal:
    """The job's machine time in hours for a worklog: rounded up to 0.01 h, so a run is never logged as nothing."""
    hours = (Decimal(job.machine_seconds) / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_UP)
    return max(hours, Decimal("0.01"))


def _note(job: Job) -> str:
    """What the worklog says: the machine, the file, and how the job ended (a failure with its reason)."""
    head = f"Machine hours: {job.machine.name}, {job.original_name} (job {job.pk}, {job.status})"
    if job.status == Job.Status.FAILED and job.reason:
        head = f"{head}; it failed: {job.reason}"
    return head[:255]


def log_machine_hours(job: Job) -> None:
    """Record the ended job's machine hours as a worklog on its task, once, through the projects worklog service.

    Runs inside the job's locked transaction, so two reports of the same end cannot both log;
    the worklog is kept on the job and a job that has one is never logged again. A job that
    never started logs nothing. The hours are the job owner's (who ran the machine); a refusal
    (they left the project, it was archived) keeps the job's end and says on the job why no
    hours were logged.
    """
    from projects import services as project_services  # the projects app's own rules decide

    if job.task_id is None or job.worklog_id is not None or job.user is None or job.started_at is None:
        return
    day = timezone.localdate(job.finished_at or timezone.now())
    try:
        with transaction.atomic():
            log = project_services.log_work(job.user, job.task_id, hours=machine_hours(job), note=_note(job),
                                            date=day)
    except DomainError as exc:
        job.reason = f"{job.reason} Hours not logged: {exc.detail}".strip()[:300]
        job.save(update_fields=["reason", "updated_at"])
        return
    job.worklog = log
    job.save(update_fields=["worklog", "updated_at"])


def fail_locked_job(job: Job, reason: str, actor=None) -> bool:
    """A locked running, paused or interrupted job failed (a firmware error, a safety stop, an emergency stop).

    It ends now; the time it was held is left out and the hours it ran are logged on its task,
    with a note that it failed. False when the job had already ended (a second report of the
    same failure changes nothing).
    """
    if job.status not in Job.ACTIVE:
        return False
    was = job.status
    job.status, job.finished_at, job.reason = Job.Status.FAILED, timezone.now(), reason[:300]
    end_hold(job, job.finished_at)
    job.save(update_fields=["status", "finished_at", "reason", "paused_at", "paused_seconds", "updated_at"])
    log_machine_hours(job)
    audit.record(actor, "job.fail", job, {"status": [was, job.status], "reason": [None, job.reason]})
    events.publish(machine_topics(job.machine_id), JOB_CHANGED, job_data(job))
    return True
