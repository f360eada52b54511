"""Who may follow the workflows app's websocket topics: anyone with a role reads runs and agents."""
from accounts.roles import VIEWER, has_role
from core.parsing import as_id

from .models import Run, Workflow


def may_follow_timeline(user, arg) -> bool:
    """Topic ``workflows``: every run on the one timeline, for anyone with a role."""
    return arg is None and has_role(user, VIEWER)


def may_follow_agents(user, arg) -> bool:
    """Topic ``agents``: the agent board, for anyone with a role."""
    return arg is None and has_role(user, VIEWER)


def may_follow_workflow(user, arg) -> bool:
    """Topic ``workflow:<id>``: one existing workflow and its runs."""
    workflow_id = as_id(arg)
    return workflow_id is not None and has_role(user, VIEWER) and Workflow.objects.filter(pk=workflow_id).exists()


def may_follow_run(user, arg) -> bool:
    """Topic ``run:<id>``: one existing run, its tasks and its log lines."""
    run_id = as_id(arg)
    return run_id is not None and has_role(user, VIEWER) and Run.objects.filter(pk=run_id).exists()
