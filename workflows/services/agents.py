"""Agents: created by operators with an API key from the accounts key service, heartbeats, going offline.

An agent is tied to one API key (``Agent.api_key``); the agent endpoints accept only that key,
and ``agent_for`` checks the key in use belongs to an agent. Rotating issues a new key and
revokes the old one in one transaction, so at no time do both work or neither.
"""
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.services.api_keys import create_api_key, revoke_api_key
from core import audit
from core.errors import Conflict, PermissionDenied, RuleViolation, check_fields

from ..models import Agent, Run, Task
from .common import publish_agent
from .runs import lock_run, step_failed
from .workflows import clean_capability

MISSED_HEARTBEATS = 3  # an agent silent for this many heartbeat periods is offline
KEY_ROLES = (roles.VIEWER, roles.MEMBER, roles.OPERATOR)


def clean_capabilities(capabilities) -> list[str]:
    """A non-empty list of distinct capability names."""
    if not isinstance(capabilities, list) or not capabilities:
        raise RuleViolation("List at least one capability.", fields={"capabilities": ["Add a capability."]})
    return sorted({clean_capability(value, "capabilities") for value in capabilities})


def _issue_key(actor, agent: Agent, role: str):
    if role not in KEY_ROLES:
        raise RuleViolation(f"An agent's key has the role viewer, member or operator, not '{role}'.",
                            fields={"role": [role]})
    return create_api_key(actor, name=f"agent {agent.name}"[:100], user=actor, role=role)


@transaction.atomic
def create_agent(actor, *, name: str, capabilities, role: str = roles.MEMBER) -> tuple[Agent, str]:
    """An operator creates an agent; returns it and its API key, which is shown only this once.

    The key is issued by the accounts key service in the operator's name, capped at ``role``.
    """
    roles.require_role(actor, roles.OPERATOR, "create agents")
    agent = Agent(name=(name or "").strip(), capabilities=clean_capabilities(capabilities), created_by=actor)
    check_fields(agent, exclude=["api_key"])
    agent.save()
    key, secret = _issue_key(actor, agent, role)
    agent.api_key = key
    agent.save(update_fields=["api_key", "updated_at"])
    audit.record(actor, "agent.create", agent, {"name": [None, agent.name], "capabilities": [None, agent.capabilities],
                                                "api_key": [None, key.prefix]})
    publish_agent(agent)
    return agent, secret


@transaction.atomic
def update_agent(actor, agent: Agent, *, name: str | None = None, capabilities=None) -> Agent:
    """An operator renames an agent or changes what it can do."""
    roles.require_role(actor, roles.OPERATOR, "change agents")
    agent = Agent.objects.select_for_update().get(pk=agent.pk)
    before = audit.snapshot(agent, ["name", "capabilities"])
    if name is not None:
        agent.name = name.strip()
    if capabilities is not None:
        agent.capabilities = clean_capabilities(capabilities)
    check_fields(agent)
    agent.save()
    audit.record(actor, "agent.update", agent, audit.diff(before, agent))
    publish_agent(agent)
    return agent


@transaction.atomic
def rotate_agent_key(actor, agent: Agent, *, role: str | None = None) -> tuple[Agent, str]:
    """Give an agent a new API key (shown once) and revoke the old one at the same moment."""
    roles.require_role(actor, roles.OPERATOR, "rotate agent keys")
    agent = Agent.objects.select_for_update(of=("self",)).select_related("api_key").get(pk=agent.pk)
    old = agent.api_key
    if old is not None:
        revoke_api_key(actor, old)  # the key service's own rules: owner or admin, password login
    key, secret = _issue_key(actor, agent, role or (old.role if old else roles.MEMBER))
    agent.api_key = key
    agent.save(update_fields=["api_key", "updated_at"])
    audit.record(actor, "agent.rotate_key", agent, {"api_key": [old.prefix if old else None, key.prefix]})
    publish_agent(agent)
    return agent, secret


def agent_for(user) -> Agent:
    """The agent whose API key authenticated ``user``'s request; PermissionDenied for anything else."""
    key = getattr(user, "api_key", None)
    if key is None:
        raise PermissionDenied("This endpoint is for agents: send the agent's key as 'Authorization: Api-Key <key>'.")
    agent = Agent.objects.filter(api_key_id=key.pk).first()
    if agent is None:
        raise PermissionDenied("This API key belongs to no agent; use the key shown when the agent was created.")
    return agent


@transaction.atomic
def heartbeat(actor, agent: Agent) -> Agent:
    """An agent says it is alive: last seen now; online, or busy while it holds a running task."""
    agent = Agent.objects.select_for_update().get(pk=agent.pk)
    holding = agent.tasks.filter(state=Task.State.RUNNING).exists()
    status = Agent.Status.BUSY if holding else Agent.Status.ONLINE
    changed = status != agent.status
    agent.status, agent.last_seen_at = status, timezone.now()
    agent.save(update_fields=["status", "last_seen_at", "updated_at"])
    if changed:
        audit.record(actor, "agent.online", agent, {"status": [None, status]})
        publish_agent(agent)
    return agent


def offline_before():
    """Agents last seen before this moment have missed three heartbeats."""
    return timezone.now() - timezone.timedelta(seconds=settings.WORKFLOWS_HEARTBEAT_SECONDS * MISSED_HEARTBEATS)


@transaction.atomic
def mark_offline(agent: Agent) -> Agent:
    """An agent that missed three heartbeats goes offline; its running task goes back to pending or fails.

    Which of the two is the step's ``on_agent_lost`` policy; a failed one crashes its run.
    """
    agent = Agent.objects.select_for_update().get(pk=agent.pk)
    if agent.status == Agent.Status.OFFLINE or (agent.last_seen_at and agent.last_seen_at >= offline_before()):
        return agent
    before = agent.status
    agent.status = Agent.Status.OFFLINE
    for task in Task.objects.select_for_update().filter(agent=agent, state=Task.State.RUNNING):
        run = lock_run(Run(pk=task.run_id))
        agent.failures += 1
        step_failed(run, task, f"agent {agent.name} stopped answering", lost_agent=True)
    agent.save()
    audit.record(None, "agent.offline", agent, {"status": [before, agent.status]})
    publish_agent(agent)
    return agent


def mark_silent_agents_offline() -> int:
    """Every agent past three missed heartbeats goes offline; returns how many did."""
    silent = Agent.objects.exclude(status=Agent.Status.OFFLINE).filter(last_seen_at__lt=offline_before())
    count = 0
    for agent in silent:
        if mark_offline(agent).status == Agent.Status.OFFLINE:
            count += 1
    return count


def require_agent_free(agent: Agent) -> None:
    """Conflict when ``agent`` (locked) already holds a running task: an agent works on one at a time."""
    if agent.tasks.filter(state=Task.State.RUNNING).exists():
        raise Conflict("This agent already holds a running task; finish or fail it before claiming another.")
