"""Workflows test scenes, built through the services (so keys, versions and tasks are real)."""
import itertools

from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from workflows import services

_names = itertools.count(1)


def operator():
    return UserFactory(role="operator")


def step(capability="lab.http", name=None, **extra):
    """One step needing ``capability``."""
    return {"name": name or f"step {next(_names)}", "capability": capability, **extra}


def make_workflow(steps=None, actor=None, **fields):
    """A workflow (two steps by default) defined by an operator."""
    return services.create_workflow(actor or operator(), name=fields.pop("name", f"Workflow {next(_names)}"),
                                    steps=steps or [step(), step()], **fields)


def make_agent(capabilities=("lab.http",), actor=None, name=None):
    """``(agent, secret)``: an agent with its API key, created by an operator."""
    return services.create_agent(actor or operator(), name=name or f"agent-{next(_names)}",
                                 capabilities=list(capabilities))


def agent_client(secret):
    """An API client that authenticates with an agent's key, as a real agent does."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


def key_user(agent):
    """The user a request made with ``agent``'s key acts as (the key's owner, capped at its role)."""
    user = type(agent.api_key.user).objects.get(pk=agent.api_key.user_id)  # a copy, not the creator's object
    user.api_key = agent.api_key
    return user


def start(workflow, actor=None):
    return services.start_workflow(actor or UserFactory(role="member"), workflow)
