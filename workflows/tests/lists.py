"""List endpoints of workflows for the query-count table (see core.testing.ListCase)."""
from datetime import timedelta

from django.utils import timezone

from core.testing import ListCase
from workflows.models import Agent, Comment, LogLine, Run, Task

from .factories import AgentFactory, RunFactory, SuggestionFactory, TriggerFactory, WorkflowFactory, make_agent


def _run(user):
    """Every other run ended, with a finished task done by an agent and one cancelled before it started;
    the others have not started yet."""
    if Run.objects.count() % 2:
        return RunFactory(started_by=None)
    start = timezone.now() - timedelta(hours=1)
    run = RunFactory(started_by=user, state=Run.State.COMPLETED, progress=100, started_at=start,
                     ended_at=start + timedelta(seconds=95.5))
    Task.objects.create(run=run, position=0, name="fetch", capability="lab.http", agent=AgentFactory(),
                        state=Task.State.COMPLETED, attempts=1, started_at=start,
                        ended_at=start + timedelta(seconds=40), progress=100, result={"status": 200}, log_count=2)
    Task.objects.create(run=run, position=1, name="store", capability="lab.db", state=Task.State.CANCELLED)
    return run


def _listed_run(user):
    return Run.objects.filter(title="Listed").first() or RunFactory(title="Listed")


def _listed_task(user):
    run = _listed_run(user)
    return run.tasks.first() or Task.objects.create(run=run, position=0, name="fetch", capability="lab.http")


def _log_line(user):
    task = _listed_task(user)
    return LogLine.objects.create(task=task, number=task.log_lines.count() + 1, at=timezone.now(), message="200 OK")


def _comment(user):
    agent = AgentFactory() if Comment.objects.count() % 2 else None
    return Comment.objects.create(run=_listed_run(user), author=None if agent else user, agent=agent,
                                  body="Looks fine.")


def _agent(user):
    """Agents with a key and none done yet, and without a key with finished tasks."""
    if Agent.objects.count() % 2:
        return AgentFactory(successes=3, failures=1)
    return make_agent()[0]


LISTS = [
    ListCase("/api/workflows/workflows/", lambda user: WorkflowFactory(), name="workflows"),
    ListCase("/api/workflows/runs/", _run, name="runs"),
    ListCase(lambda user: f"/api/workflows/runs/{_listed_run(user).pk}/logs/", _log_line, name="run_logs"),
    ListCase(lambda user: f"/api/workflows/runs/{_listed_run(user).pk}/comments/", _comment, name="run_comments"),
    ListCase("/api/workflows/timeline/", _run, name="timeline"),
    ListCase("/api/workflows/agents/", _agent, name="agents"),
    ListCase("/api/workflows/suggestions/", lambda user: SuggestionFactory(), name="suggestions"),
    ListCase("/api/workflows/triggers/", lambda user: TriggerFactory(fields={"material": "PLA"}), name="triggers"),
]
