"""Runs: start, cancel, pause, resume and retry; steps start one after another."""
from django.db import transaction
from django.utils import timezone

from accounts.roles import MEMBER, require_role
from core import audit
from core.errors import Conflict, RuleViolation

from ..models import Agent, Run, Task, Workflow
from .common import move_run, publish_agent, publish_run, publish_task

S = Run.State
T = Task.State


@transaction.atomic
def start_workflow(actor, workflow: Workflow, *, origin: str = Run.Origin.PERSON, detail: str = "",
                   scheduled_for=None, due_at=None) -> Run:
    """Start a run of ``workflow`` with a copy of its current steps; its first step waits for an agent.

    People (members and up) start runs; schedules, triggers and approved suggestions start them
    as the system (``actor`` None) with their ``origin``. A run for later is ``scheduled``.
    """
    if origin == Run.Origin.PERSON:
        require_role(actor, MEMBER, "start workflows")
    workflow = Workflow.objects.select_for_update().get(pk=workflow.pk)
    if not workflow.enabled:
        raise Conflict(f"The workflow '{workflow.name}' is disabled; enable it before starting it.")
    if not workflow.steps:
        raise RuleViolation(f"The workflow '{workflow.name}' has no steps.")
    later = scheduled_for is not None and scheduled_for > timezone.now()
    if due_at is not None and due_at <= (scheduled_for if later else timezone.now()):
        raise RuleViolation("The due time must be after the run starts.", fields={"due_at": ["After the start."]})
    run = Run.objects.create(
        workflow=workflow, title=workflow.name, steps=workflow.steps, version=workflow.version,
        priority=workflow.priority, origin=origin, origin_detail=detail[:200],
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
        state=S.SCHEDULED if later else S.PENDING, scheduled_for=scheduled_for if later else None, due_at=due_at,
    )
    Task.objects.bulk_create([
        Task(run=run, position=number, name=step["name"], capability=step["capability"],
             parameters=step["parameters"], timeout_seconds=step["timeout_seconds"], retries=step["retries"],
             backoff_seconds=step["backoff_seconds"], on_agent_lost=step["on_agent_lost"],
             priority=workflow.priority, state=T.PENDING if number == 0 and not later else T.WAITING)
        for number, step in enumerate(run.steps)
    ])
    audit.record(actor, "run.start", run, {"state": [None, run.state], "origin": [None, origin],
                                           "workflow": [None, workflow.pk], "version": [None, run.version]})
    publish_run(run)
    return run


def lock_run(run: Run) -> Run:
    """The run re-read under a row lock."""
    return Run.objects.select_for_update().get(pk=run.pk)


def _workflow_run(run: Run) -> Run:
    if run.source != "workflows":
        raise Conflict(f"This run belongs to {run.source}; act on it there.")
    return run


def _require(run: Run, states, doing: str) -> None:
    """Conflict (naming the run's state) unless ``run`` is in one of ``states``."""
    if run.state not in states:
        raise Conflict(f"A {run.get_state_display().lower()} run cannot be {doing}.", code="bad_transition",
                       state=run.state)


def _release_agent(agent_id) -> None:
    """An agent whose task ended is free again (unless it went offline meanwhile)."""
    if agent_id is None:
        return
    agent = Agent.objects.select_for_update().get(pk=agent_id)
    if agent.status == Agent.Status.BUSY:
        agent.status = Agent.Status.ONLINE
        agent.save(update_fields=["status", "updated_at"])
        publish_agent(agent)


@transaction.atomic
def cancel_run(actor, run: Run, *, reason: str = "") -> Run:
    """Stop a run that has not ended; its unfinished tasks are cancelled and their agents freed."""
    require_role(actor, MEMBER, "cancel runs")
    run = _workflow_run(lock_run(run))
    _require(run, [S.SCHEDULED, S.PENDING, S.RUNNING, S.RETRYING, S.PAUSED], "cancelled")
    before = run.state
    move_run(run, S.CANCELLED)
    run.error = reason[:500]
    run.save()
    for task in run.tasks.select_for_update().exclude(state__in=[T.COMPLETED, T.FAILED, T.CANCELLED]):
        holder = task.agent_id if task.state == T.RUNNING else None
        task.state, task.ended_at = T.CANCELLED, timezone.now()
        task.save(update_fields=["state", "ended_at", "updated_at"])
        publish_task(task)
        _release_agent(holder)
    audit.record(actor, "run.cancel", run, {"state": [before, run.state]})
    publish_run(run)
    return run


@transaction.atomic
def pause_run(actor, run: Run) -> Run:
    """Hold a run: a task under way finishes, but the next step waits until the run is resumed."""
    require_role(actor, MEMBER, "pause runs")
    run = _workflow_run(lock_run(run))
    _require(run, [S.PENDING, S.RUNNING, S.RETRYING], "paused")
    before = run.state
    move_run(run, S.PAUSED)
    run.save()
    audit.record(actor, "run.pause", run, {"state": [before, run.state]})
    publish_run(run)
    return run


@transaction.atomic
def resume_run(actor, run: Run) -> Run:
    """Let a paused run go on: running when a task is under way or done, otherwise pending."""
    require_role(actor, MEMBER, "resume runs")
    run = _workflow_run(lock_run(run))
    _require(run, [S.PAUSED], "resumed")
    begun = run.tasks.filter(state__in=[T.RUNNING, T.COMPLETED]).exists()
    move_run(run, S.RUNNING if begun else S.PENDING)
    run.save()
    audit.record(actor, "run.resume", run, {"state": [S.PAUSED, run.state]})
    publish_run(run)
    return run


@transaction.atomic
def retry_run(actor, run: Run) -> Run:
    """Run a failed, crashed or cancelled run again from its first unfinished step, with fresh attempts."""
    require_role(actor, MEMBER, "retry runs")
    run = _workflow_run(lock_run(run))
    _require(run, [S.FAILED, S.CRASHED, S.CANCELLED], "retried")
    before = run.state
    move_run(run, S.PENDING)
    run.save()
    unfinished = list(run.tasks.select_for_update().exclude(state=T.COMPLETED).order_by("position"))
    for number, task in enumerate(unfinished):
        task.state = T.PENDING if number == 0 else T.WAITING
        task.attempts, task.not_before, task.agent = 0, None, None
        task.started_at = task.ended_at = None
        task.progress, task.error, task.result = 0, "", None
        task.save()
        publish_task(task)
    audit.record(actor, "run.retry", run, {"state": [before, run.state]})
    publish_run(run)
    return run


def update_progress(run: Run) -> None:
    """A run's progress is the share of its steps completed, plus the running step's own progress."""
    tasks = list(run.tasks.values_list("state", "progress"))
    if not tasks:
        return
    done = sum(100 if state == T.COMPLETED else progress if state == T.RUNNING else 0 for state, progress in tasks)
    run.progress = min(100, done // len(tasks))


def step_finished(run: Run, task: Task) -> None:
    """After ``task`` completed: the next step becomes pending, or the run completes. ``run`` is locked."""
    following = run.tasks.select_for_update().filter(position=task.position + 1).first()
    update_progress(run)
    if following is None:
        move_run(run, S.COMPLETED)
    else:
        following.state = T.PENDING
        following.save(update_fields=["state", "updated_at"])
        publish_task(following)
    run.save()
    publish_run(run)


def step_failed(run: Run, task: Task, error: str, *, lost_agent: bool = False) -> None:
    """After an attempt of ``task`` failed: retry it after a growing wait, or fail (crash) the run.

    The wait doubles with each attempt (``backoff_seconds`` × 2^(attempt-1)); the claim skips the
    task until then. An agent that vanished mid-task retries or crashes per ``on_agent_lost``.
    """
    now = timezone.now()
    if lost_agent and task.on_agent_lost == "retry":
        task.state, task.agent, task.started_at, task.progress = T.PENDING, None, None, 0
        task.error = error
        task.save()
        if run.state != S.PAUSED:
            move_run(run, S.PENDING if run.state == S.RUNNING else run.state)
        run.save()
        publish_task(task)
        publish_run(run)
        return
    if not lost_agent and task.attempts <= task.retries:
        task.state, task.agent, task.started_at, task.progress = T.PENDING, None, None, 0
        task.error = error
        task.not_before = now + timezone.timedelta(seconds=task.backoff_seconds * 2 ** (task.attempts - 1))
        task.save()
        if run.state != S.PAUSED:
            move_run(run, S.RETRYING)
        run.save()
        publish_task(task)
        publish_run(run)
        return
    task.state, task.ended_at, task.error = T.FAILED, now, error
    task.save()
    publish_task(task)
    run.tasks.filter(state__in=[T.WAITING, T.PENDING]).update(state=T.CANCELLED, ended_at=now)
    move_run(run, S.CRASHED if lost_agent else S.FAILED, error=f"{task.name}: {error}"[:2000])
    run.save()
    publish_run(run)
