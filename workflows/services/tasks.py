"""Tasks: an agent claims the next one it can do, reports progress and log lines, completes or fails it."""
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core import audit
from core import events as bus
from core.errors import Conflict, RuleViolation

from .. import events
from ..models import Agent, LogLine, Run, Task
from .agents import require_agent_free
from .common import CLAIMABLE_RUN_STATES, move_run, publish_agent, publish_run, publish_task
from .runs import lock_run, step_failed, step_finished, update_progress

T = Task.State
LEVELS = ("debug", "info", "warning", "error")


@transaction.atomic
def claim_next_task(actor, agent: Agent, capabilities: list[str] | None = None) -> Task | None:
    """Give ``agent`` the next pending task matching its capabilities, or None; no two agents get one task.

    ``capabilities`` narrows the claim to some of the agent's registered ones (a process that
    serves only part of them); naming one the agent is not registered for is refused.

    On PostgreSQL the candidate row is taken with ``SELECT ... FOR UPDATE SKIP LOCKED``: agents
    claiming at once each lock a different task instead of waiting for or sharing one. In the
    embedded mode (SQLite) every transaction opens in IMMEDIATE mode (config/settings.py), which
    takes the database's write lock first, so claims run one after another and the second sees
    the task already running.
    """
    agent = Agent.objects.select_for_update().get(pk=agent.pk)
    wanted = agent.capabilities
    if capabilities is not None:
        unknown = sorted(set(capabilities) - set(agent.capabilities))
        if unknown or not capabilities:
            raise RuleViolation(f"This agent is registered for {', '.join(agent.capabilities)}; "
                                f"not for {', '.join(unknown) or 'nothing'}.", fields={"capabilities": unknown})
        wanted = capabilities
    require_agent_free(agent)
    now = timezone.now()
    candidates = (
        Task.objects.filter(state=T.PENDING, capability__in=wanted,
                            run__state__in=CLAIMABLE_RUN_STATES)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .order_by("-priority", "id")
    )
    if connection.vendor == "postgresql":
        candidates = candidates.select_for_update(skip_locked=True, of=("self",))
    task = candidates.first()
    agent.last_seen_at = now
    if task is None:
        if agent.status == Agent.Status.OFFLINE:
            agent.status = Agent.Status.ONLINE
            publish_agent(agent)
        agent.save(update_fields=["last_seen_at", "status", "updated_at"])
        return None
    run = lock_run(task.run)
    task.state, task.agent, task.started_at, task.ended_at = T.RUNNING, agent, now, None
    task.attempts += 1
    task.progress = 0
    task.save()
    move_run(run, Run.State.RUNNING)
    run.save()
    agent.status = Agent.Status.BUSY
    agent.save(update_fields=["last_seen_at", "status", "updated_at"])
    audit.record(actor, "task.claim", task, {"state": [T.PENDING, T.RUNNING], "agent": [None, agent.pk]})
    publish_task(task)
    publish_run(run)
    publish_agent(agent)
    return task


def _held(agent: Agent, task: Task) -> Task:
    """The task re-read under a lock, if ``agent`` holds it and it is still running; refused otherwise."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.agent_id != agent.pk:
        raise Conflict("This agent does not hold that task; only the agent that claimed it may report on it.",
                       code="not_holder")
    if task.state != T.RUNNING:
        raise Conflict(f"That task has ended ({task.state}); reports on it are refused.", code="task_ended")
    return task


def _progress_value(progress) -> int:
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise RuleViolation("progress is a whole number from 0 to 100.", fields={"progress": [str(progress)]})
    return progress


@transaction.atomic
def report_progress(actor, agent: Agent, task: Task, *, progress: int) -> Task:
    """The holding agent says how far its task is; the run's progress follows."""
    task = _held(agent, task)
    task.progress = _progress_value(progress)
    task.save(update_fields=["progress", "updated_at"])
    run = lock_run(task.run)
    update_progress(run)
    run.save(update_fields=["progress", "updated_at"])
    publish_task(task)
    publish_run(run)
    return task


def _clean_lines(lines) -> list[tuple[str, str]]:
    if not isinstance(lines, list) or not lines:
        raise RuleViolation("Send 'lines': a list of strings or {level, message} objects.",
                            fields={"lines": ["Give at least one line."]})
    if len(lines) > settings.WORKFLOWS_LOG_BATCH_MAX:
        raise RuleViolation(f"Send at most {settings.WORKFLOWS_LOG_BATCH_MAX} lines at a time.",
                            fields={"lines": ["Too many lines in one batch."]})
    cleaned = []
    for number, line in enumerate(lines, start=1):
        level, message = "info", line
        if isinstance(line, dict):
            level, message = line.get("level", "info"), line.get("message")
        if level not in LEVELS or not isinstance(message, str) or len(message) > 10000:
            raise RuleViolation(f"Line {number}: a message up to 10 000 characters, level one of {', '.join(LEVELS)}.",
                                fields={"lines": [f"line {number}"]})
        cleaned.append((level, message))
    return cleaned


@transaction.atomic
def append_logs(actor, agent: Agent, task: Task, lines) -> int:
    """Store a batch of the holding agent's log lines in one insert and stream them to the run page."""
    cleaned = _clean_lines(lines)
    task = _held(agent, task)
    now = timezone.now()
    first = task.log_count + 1
    LogLine.objects.bulk_create([
        LogLine(task=task, number=first + offset, at=now, level=level, message=message)
        for offset, (level, message) in enumerate(cleaned)
    ])
    task.log_count += len(cleaned)
    task.save(update_fields=["log_count", "updated_at"])
    bus.publish(f"run:{task.run_id}", events.LOG_LINES, {
        "task": task.pk, "run": task.run_id, "first": first, "at": now,
        "lines": [{"level": level, "message": message} for level, message in cleaned],
    })
    return len(cleaned)


def _finish_for_agent(agent_id: int, success: bool) -> None:
    agent = Agent.objects.select_for_update().get(pk=agent_id)
    if success:
        agent.successes += 1
    else:
        agent.failures += 1
    if agent.status == Agent.Status.BUSY:
        agent.status = Agent.Status.ONLINE
    agent.save(update_fields=["successes", "failures", "status", "updated_at"])
    publish_agent(agent)


@transaction.atomic
def complete_task(actor, agent: Agent, task: Task, *, result=None) -> Task:
    """The holding agent finished its task: the next step becomes pending, or the run completes."""
    task = _held(agent, task)
    run = lock_run(task.run)
    task.state, task.ended_at, task.progress, task.result = T.COMPLETED, timezone.now(), 100, result
    task.save()
    _finish_for_agent(agent.pk, True)
    audit.record(actor, "task.complete", task, {"state": [T.RUNNING, T.COMPLETED]})
    publish_task(task)
    step_finished(run, task)
    return task


@transaction.atomic
def fail_task(actor, agent: Agent, task: Task, *, error: str) -> Task:
    """The holding agent could not do its task: retried after a growing wait while attempts remain, else failed."""
    if not isinstance(error, str) or not error.strip():
        raise RuleViolation("Say what went wrong in 'error'.", fields={"error": ["This field may not be blank."]})
    task = _held(agent, task)
    run = lock_run(task.run)
    _finish_for_agent(agent.pk, False)
    step_failed(run, task, error.strip()[:2000])
    audit.record(actor, "task.fail", task, {"state": [T.RUNNING, task.state], "error": [None, task.error]})
    return task


@transaction.atomic
def time_out(task: Task) -> Task:
    """A task running past its step's timeout counts as a failed attempt (retried per its policy)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.state != T.RUNNING or task.started_at is None:
        return task
    if task.started_at + timezone.timedelta(seconds=task.timeout_seconds) > timezone.now():
        return task
    run = lock_run(task.run)
    if task.agent_id:
        _finish_for_agent(task.agent_id, False)
    step_failed(run, task, f"timed out after {task.timeout_seconds} s")
    audit.record(None, "task.timeout", task, {"state": [T.RUNNING, task.state]})
    return task


def time_out_overdue_tasks() -> int:
    """Every running task past its timeout fails its attempt; returns how many."""
    overdue = [task for task in Task.objects.filter(state=T.RUNNING).only("pk", "started_at", "timeout_seconds")
               if task.started_at and task.started_at + timezone.timedelta(seconds=task.timeout_seconds)
               <= timezone.now()]
    return sum(1 for task in overdue if time_out(task).state != T.RUNNING)


@transaction.atomic
def release_run(run: Run) -> Run:
    """A scheduled run whose time has come becomes pending: its first step waits for an agent."""
    run = lock_run(run)
    if run.state != Run.State.SCHEDULED or (run.scheduled_for and run.scheduled_for > timezone.now()):
        return run
    move_run(run, Run.State.PENDING)
    run.save()
    run.tasks.filter(position=0).update(state=T.PENDING)
    audit.record(None, "run.release", run, {"state": [Run.State.SCHEDULED, Run.State.PENDING]})
    publish_run(run)
    return run


def release_due_runs() -> int:
    """Release every scheduled run that is due; returns how many."""
    due = Run.objects.filter(state=Run.State.SCHEDULED, scheduled_for__lte=timezone.now())
    return sum(1 for run in due if release_run(run).state == Run.State.PENDING)
