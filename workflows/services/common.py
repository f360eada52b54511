"""What every workflows service shares: the run state machine, event shapes and publishing."""
from django.utils import timezone

from core import events as bus
from core.errors import Conflict

from .. import events
from ..models import Agent, Run, Task

S = Run.State

# Which state a run may move to from each state; anything else is refused.
TRANSITIONS = {
    S.SCHEDULED: {S.PENDING, S.CANCELLED},
    S.PENDING: {S.RUNNING, S.PAUSED, S.CANCELLED, S.FAILED, S.COMPLETED},
    S.RUNNING: {S.PENDING, S.PAUSED, S.RETRYING, S.COMPLETED, S.FAILED, S.CANCELLED, S.CRASHED},
    S.RETRYING: {S.RUNNING, S.PAUSED, S.FAILED, S.CANCELLED, S.CRASHED},
    S.PAUSED: {S.PENDING, S.RUNNING, S.RETRYING, S.CANCELLED, S.FAILED, S.CRASHED, S.COMPLETED},
    S.FAILED: {S.PENDING},
    S.CRASHED: {S.PENDING},
    S.CANCELLED: {S.PENDING},
    S.COMPLETED: set(),
}
# Runs whose pending tasks agents may claim (a paused run keeps its next task waiting).
CLAIMABLE_RUN_STATES = [S.PENDING, S.RUNNING, S.RETRYING]


def move_run(run: Run, state: str, *, error: str = "") -> None:
    """Move ``run`` (locked by the caller) to ``state`` if the state machine allows it; Conflict otherwise."""
    if state == run.state:
        return
    if state not in TRANSITIONS[run.state]:
        raise Conflict(f"A {run.get_state_display().lower()} run cannot become {state}.",
                       code="bad_transition", state=run.state)
    now = timezone.now()
    if state == S.RUNNING and run.started_at is None:
        run.started_at = now
    if state in (S.COMPLETED, S.FAILED, S.CANCELLED, S.CRASHED):
        run.ended_at = now
        if run.started_at is None:
            run.started_at = now
    elif run.ended_at is not None:
        run.ended_at = None  # a retried run is under way again
    if state == S.COMPLETED:
        run.progress = 100
    run.error = error if state in (S.FAILED, S.CRASHED) else ""
    run.state = state


def run_data(run: Run) -> dict:
    """A run as events and the timeline show it."""
    return {
        "id": run.pk, "title": run.title, "summary": f"{run.title}: {run.state}", "source": run.source,
        "workflow": run.workflow_id, "state": run.state, "progress": run.progress, "origin": run.origin,
        "started_at": run.started_at, "ended_at": run.ended_at, "duration": run.duration, "link": run.link,
        "due_at": run.due_at,
        "error": run.error,
    }


def task_data(task: Task) -> dict:
    """A task as events show it."""
    return {
        "id": task.pk, "run": task.run_id, "position": task.position, "name": task.name,
        "summary": f"{task.name}: {task.state}", "state": task.state, "progress": task.progress,
        "agent": task.agent_id, "agent_name": task.agent.name if task.agent_id else None,
        "attempts": task.attempts, "error": task.error, "result": task.result,
        "not_before": task.not_before, "started_at": task.started_at, "ended_at": task.ended_at,
    }


def agent_data(agent: Agent) -> dict:
    """An agent as the board shows it."""
    return {
        "id": agent.pk, "name": agent.name, "summary": f"{agent.name}: {agent.status}", "status": agent.status,
        "capabilities": agent.capabilities, "last_seen_at": agent.last_seen_at, "successes": agent.successes,
        "failures": agent.failures, "success_rate": agent.success_rate,
    }


def run_topics(run: Run) -> list[str]:
    topics = [f"run:{run.pk}", "workflows"]
    if run.workflow_id:
        topics.append(f"workflow:{run.workflow_id}")
    return topics


def publish_run(run: Run) -> None:
    """Tell the timeline, the run page and the workflow's followers about the run's new state."""
    bus.publish(run_topics(run), events.RUN_CHANGED, run_data(run))


def publish_task(task: Task) -> None:
    """Tell the run page about a task's change."""
    bus.publish(f"run:{task.run_id}", events.TASK_CHANGED, task_data(task))


def publish_agent(agent: Agent) -> None:
    """Tell the agent board about an agent's change."""
    bus.publish("agents", events.AGENT_CHANGED, agent_data(agent))
