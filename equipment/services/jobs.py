"""Jobs: upload into a machine's queue, start, pause, resume, cancel; progress and the end of a job.

The queue is rows in the database, so it survives restarts of the gateway and the web.
After a lost connection a job becomes *interrupted* and never resumes by itself: an
operator confirms with ``resume_job``. A job may be for a project task: when it ends, its
machine hours become a worklog on that task, once, through the projects worklog service.
"""
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.roles import OPERATOR, has_role, require_role
from core import audit, events
from core.errors import Conflict, PermissionDenied, RuleViolation
from core.parsing import as_id

from .. import gcode, states
from ..events import JOB_CHANGED, JOB_PROGRESS, JOB_QUEUED
from ..models import Job, Machine
from .common import job_data, lock_job, lock_machine, machine_topics, move
from .control import queue, require_driver
from .endings import end_hold, fail_locked_job, log_machine_hours


def _publish(job: Job, type=JOB_CHANGED, **extra) -> None:
    events.publish(machine_topics(job.machine_id), type, job_data(job, **extra))


def _own_or_operator(actor, job: Job, doing: str) -> None:
    if job.user_id != getattr(actor, "pk", None) and not has_role(actor, OPERATOR):
        raise PermissionDenied(f"Only the person who queued this job, or an operator, may {doing} it.")


def task_for_job(actor, task):
    """The project task a job of ``actor`` may log its machine hours on, or None when none is named.

    It must be a task of a project the actor works on (operators: any project), and the project
    must not be archived; otherwise a 400 naming the field, the same whether the task is hidden
    or missing, so the answer does not tell which tasks exist.
    """
    from projects.models import Project, Task  # the projects app is only read here
    from projects.queries import visible_projects

    if task in (None, ""):
        return None
    task_id = as_id(getattr(task, "pk", task))
    found = (Task.objects.select_related("project").filter(pk=task_id, project__in=visible_projects(actor)).first()
             if task_id else None)
    if found is None:
        raise RuleViolation(f"Task {task} is not a task of a project you belong to; "
                            "choose one of your projects' tasks.",
                            code="not_your_task", fields={"task": ["Not a task of your projects."]})
    if found.project.status == Project.Status.ARCHIVED:
        raise RuleViolation(f"Project '{found.project.name}' is archived; its tasks take no more hours.",
                            code="archived", fields={"task": ["Archived project."]})
    return found


@transaction.atomic
def upload_job(actor, machine, upload, *, name: str = "", task=None) -> Job:
    """Put a G-code file at the end of a machine's queue (size limit; stored under a generated name).

    ``task`` (a project task or its id) is where the job's machine hours are logged when it ends.
    """
    machine = lock_machine(machine)
    booking = require_driver(actor, machine)
    task = task_for_job(actor, task)
    if upload is None:
        raise RuleViolation("Attach the G-code file as the multipart field 'file'.", fields={"file": ["Required."]})
    limit = settings.EQUIPMENT_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise RuleViolation(f"The file is {upload.size // 1024} KB; at most {settings.EQUIPMENT_MAX_UPLOAD_MB} MB.",
                            code="too_large", fields={"file": ["Too large."]})
    raw = upload.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = gcode.command_lines(text)
    if not lines:
        raise RuleViolation("The file holds no G-code lines.", fields={"file": ["No G-code."]})
    upload.seek(0)
    last = machine.jobs.aggregate(last=Max("position"))["last"] or 0
    job = Job(machine=machine, user=actor, booking=booking, task=task,
              original_name=(name or upload.name or "job.gcode")[:255], size=upload.size, total_lines=len(lines),
              material_estimate=gcode.material_estimate(text), position=last + 1)
    job.file.save("upload.gcode", upload, save=False)
    job.save()
    audit.record(actor, "job.upload", job, {"file": [None, job.original_name], "task": [None, job.task_id]})
    _publish(job, JOB_QUEUED)
    return job


@transaction.atomic
def start_job(actor, job) -> Job:
    """Start a queued job on its machine, which must be connected and free."""
    job = lock_job(job)
    machine = lock_machine(job.machine_id)
    require_driver(actor, machine)
    _own_or_operator(actor, job, "start")
    if job.status != Job.Status.QUEUED:
        raise Conflict(f"This job is {job.status}; only a queued job can start.", code="bad_status")
    if machine.state not in states.READY:
        raise Conflict(f"{machine.name} is {machine.state}; it must be connected and idle to start a job.",
                       code="not_ready", state=machine.state)
    if machine.jobs.filter(status__in=Job.ACTIVE).exists():
        raise Conflict(f"{machine.name} already has a job in progress.", code="busy")
    job.status, job.started_at, job.lines_acked = Job.Status.RUNNING, timezone.now(), 0
    job.save(update_fields=["status", "started_at", "lines_acked", "updated_at"])
    move(machine, states.PREPARING, f"job {job.pk}")
    queue(actor, machine, "start_job", job=job.pk)
    audit.record(actor, "job.start", job)
    _publish(job)
    return job


@transaction.atomic
def pause_job(actor, job) -> Job:
    """Pause a running job after the lines already sent."""
    job = lock_job(job)
    machine = lock_machine(job.machine_id)
    require_driver(actor, machine)
    if job.status != Job.Status.RUNNING:
        raise Conflict(f"This job is {job.status}; only a running job can pause.", code="bad_status")
    job.status, job.paused_at = Job.Status.PAUSED, timezone.now()
    job.save(update_fields=["status", "paused_at", "updated_at"])
    if machine.state in (states.PREPARING, states.PRINTING):
        move(machine, states.PAUSING, f"job {job.pk}")
    queue(actor, machine, "pause_job", job=job.pk, park=park_settings(machine))
    audit.record(actor, "job.pause", job)
    _publish(job)
    return job


@transaction.atomic
def resume_job(actor, job) -> Job:
    """Resume a paused job; an interrupted one (its machine was lost) only by an operator's say-so."""
    job = lock_job(job)
    machine = lock_machine(job.machine_id)
    require_driver(actor, machine)
    if job.status == Job.Status.INTERRUPTED:
        require_role(actor, OPERATOR, "resume a job interrupted by a lost connection")
        if machine.state not in states.READY:
            raise Conflict(f"{machine.name} is {machine.state}; reconnect it before resuming.", code="not_ready")
        recover = None
        if machine.driver == Machine.Driver.MARLIN:
            require_known_position(machine, job)
            recover = park_settings(machine)  # the head is lifted by the park lift while X and Y are homed
        move(machine, states.PREPARING, f"job {job.pk} resumed by an operator")
        job.status = Job.Status.RUNNING
        end_hold(job)
        job.save(update_fields=["status", "paused_at", "paused_seconds", "updated_at"])
        queue(actor, machine, "start_job", job=job.pk, from_line=job.lines_acked, recover=recover)
    elif job.status == Job.Status.PAUSED:
        job.status = Job.Status.RUNNING
        end_hold(job)
        job.save(update_fields=["status", "paused_at", "paused_seconds", "updated_at"])
        if machine.state in (states.PAUSED, states.PAUSING):
            move(machine, states.RESUMING, f"job {job.pk}")
        queue(actor, machine, "resume_job", job=job.pk)
    else:
        raise Conflict(f"This job is {job.status}; only a paused or interrupted job can resume.", code="bad_status")
    audit.record(actor, "job.resume", job)
    _publish(job)
    return job


def require_known_position(machine: Machine, job: Job) -> None:
    """Refuse (409) to resume an interrupted print on a board that does not know where its head is.

    A Marlin board forgets its position when it resets (most reset when their port opens). The
    resume homes X and Y itself, which is safe with the nozzle lifted, but Z cannot be homed over
    a print, so the firmware must still know Z: homed or set by hand since its last reset.
    """
    if not machine.position_known:
        raise Conflict(
            f"{machine.name} was reset since job {job.pk} was interrupted (or has not been homed since it started), "
            "so it does not know where its head is and the print would go on at the wrong height. "
            "Move the nozzle clear of the print, home the machine (the 'home' command), or as an operator set "
            "its height by hand (G92 Z<mm>), then resume: the resume homes X and Y and goes back over the print.",
            code="position_lost")


@transaction.atomic
def cancel_job(actor, job, reason: str = "") -> Job:
    """Cancel a queued job, or stop a running, paused or interrupted one."""
    job = lock_job(job)
    machine = lock_machine(job.machine_id)
    _own_or_operator(actor, job, "cancel")
    if job.status not in Job.OPEN:
        raise Conflict(f"This job is already {job.status}.", code="bad_status")
    was = job.status
    job.status, job.finished_at = Job.Status.CANCELLED, timezone.now()
    job.reason = reason or f"Cancelled by {getattr(actor, 'username', 'the system')}."
    end_hold(job, job.finished_at)
    job.save(update_fields=["status", "finished_at", "reason", "paused_at", "paused_seconds", "updated_at"])
    log_machine_hours(job)  # when it ran, the time it did is work on its task
    if was != Job.Status.QUEUED:
        if machine.state in states.BUSY and machine.state != states.CANCELLING:
            move(machine, states.CANCELLING, f"job {job.pk}")
        if machine.state in states.ONLINE:
            queue(actor, machine, "cancel_job", job=job.pk)
    audit.record(actor, "job.cancel", job, {"status": [was, job.status]})
    _publish(job)
    return job


# --- Reports from the gateway (the system acts; no user) -------------------------------------

@transaction.atomic
def job_printing(job_id: int) -> None:
    """The machine took the first lines of the job: it is printing."""
    job = lock_job(job_id)
    machine = lock_machine(job.machine_id)
    if job.status == Job.Status.RUNNING and machine.state in (states.PREPARING, states.RESUMING):
        move(machine, states.PRINTING, f"job {job.pk}")


@transaction.atomic
def job_paused(job_id: int) -> None:
    """The machine stopped taking lines of a paused job."""
    job = lock_job(job_id)
    machine = lock_machine(job.machine_id)
    if job.status == Job.Status.PAUSED and machine.state == states.PAUSING:
        move(machine, states.PAUSED, f"job {job.pk}")


@transaction.atomic
def record_progress(job_id: int, lines_acked: int) -> bool:
    """The machine acknowledged ``lines_acked`` lines of the job; False when the job no longer runs."""
    job = lock_job(job_id)
    if job.status not in (Job.Status.RUNNING, Job.Status.PAUSED):
        return False
    job.lines_acked = max(job.lines_acked, min(lines_acked, job.total_lines))
    job.save(update_fields=["lines_acked", "updated_at"])
    _publish(job, JOB_PROGRESS)
    return True


@transaction.atomic
def finish_job(job_id: int) -> Job:
    """Every line was acknowledged: the job is complete and its material is debited from stock."""
    job = lock_job(job_id)
    machine = lock_machine(job.machine_id)
    if job.status != Job.Status.RUNNING:
        return job
    job.status, job.finished_at, job.lines_acked = Job.Status.COMPLETED, timezone.now(), job.total_lines
    job.save(update_fields=["status", "finished_at", "lines_acked", "updated_at"])
    if machine.state in (states.PRINTING, states.PREPARING, states.RESUMING):
        move(machine, states.COMPLETING, f"job {job.pk}", checked=False)
        move(machine, states.COMPLETE, f"job {job.pk}")
    _debit_material(job, machine)
    log_machine_hours(job)
    audit.record(None, "job.complete", job)
    _publish(job)
    return job


def _debit_material(job: Job, machine: Machine) -> None:
    """Take the job's material out of stock through the inventory services (in the job's transaction)."""
    from inventory import services as stock

    amount = job.material_estimate
    if amount is None and settings.EQUIPMENT_MATERIAL_PER_JOB:
        amount = Decimal(str(settings.EQUIPMENT_MATERIAL_PER_JOB))
    if machine.material_id is None or not amount or job.user is None:
        return
    try:
        with transaction.atomic():
            stock.consume_stock(job.user, machine.material, amount, location=machine.material_location,
                                reason=f"{machine.name}: {job.original_name}",
                                reference_type="equipment.job", reference_id=str(job.pk))
    except Exception as exc:  # noqa: BLE001 - a finished print stays finished; the shortfall is reported
        job.reason = f"Material not debited: {getattr(exc, 'detail', exc)}"[:300]
        job.save(update_fields=["reason", "updated_at"])
        return
    job.material_debited = True
    job.save(update_fields=["material_debited", "updated_at"])


HELD_BY_LINK = (Job.Status.RUNNING, Job.Status.PAUSED)


def hold_interrupted(job: Job, reason: str, line: int | None = None) -> bool:
    """Write a locked running or paused job down as interrupted: the line reached, the reason, since when.

    The row is the record: a gateway that restarts, or a page that reloads, finds the job
    interrupted there and waits for an operator to confirm ``resume_job`` or ``cancel_job``.
    False when the job was not running or paused (nothing to interrupt).
    """
    if job.status not in HELD_BY_LINK:
        return False
    was = job.status
    if line is not None:
        job.lines_acked = max(job.lines_acked, min(int(line), job.total_lines))
    job.status = Job.Status.INTERRUPTED
    job.reason = (f"{reason} at line {job.lines_acked} of {job.total_lines}; "
                  "an operator confirms resume or cancel.")[:300]
    job.paused_at = job.paused_at or timezone.now()
    job.save(update_fields=["status", "reason", "lines_acked", "paused_at", "updated_at"])
    audit.record(None, "job.interrupt", job, {"status": [was, job.status], "lines_acked": [None, job.lines_acked]})
    _publish(job)
    return True


PARK_KEYS = ("lift", "x", "y", "retract")


def park_settings(machine: Machine) -> dict:
    """Where a paused print head waits and how much filament it pulls back first (the machine's own, else the settings).

    ``retract`` mm of filament go back before Z goes up by ``lift`` mm and the head to ``x``/``y``;
    the same length is primed before the print goes on. Machines without an extruder retract nothing.
    """
    park = {"lift": settings.EQUIPMENT_PARK_LIFT_MM, "x": settings.EQUIPMENT_PARK_X, "y": settings.EQUIPMENT_PARK_Y,
            "retract": settings.EQUIPMENT_PARK_RETRACT_MM, "z_max": (machine.travel or {}).get("z")}
    park.update({key: value for key, value in (machine.park or {}).items()
                 if key in PARK_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool)})
    if machine.kind != Machine.Kind.FDM_PRINTER:
        park["retract"] = 0  # a CNC or laser on Marlin has no filament to pull back
    return park


@transaction.atomic
def fail_job(job_id: int, reason: str) -> None:
    """The machine refused or lost the job (an error line, a halt): it fails, and the hours it ran are logged."""
    fail_locked_job(lock_job(job_id), reason)
