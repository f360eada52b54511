"""Workflows test scenes, built through the services (so keys, versions and tasks are real).

The model factories below arrange rows directly (lists, the admin); scenes that need real keys,
tasks or versions use the service helpers further down.
"""
import itertools

import factory
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from workflows import services
from workflows.models import Agent, Run, Suggestion, Trigger, Workflow
from workflows.services.workflows import clean_steps

_names = itertools.count(1)


class WorkflowFactory(factory.django.DjangoModelFactory):
    """A workflow of one step, its steps shaped as the service shapes them."""

    class Meta:
        model = Workflow

    name = factory.Sequence(lambda n: f"Workflow row {n}")
    steps = factory.LazyFunction(lambda: clean_steps([{"name": "fetch", "capability": "lab.http"}]))
    created_by = factory.SubFactory(UserFactory, role="operator")


class RunFactory(factory.django.DjangoModelFactory):
    """A pending run of a workflow (no tasks: it has not been handed to agents)."""

    class Meta:
        model = Run

    workflow = factory.SubFactory(WorkflowFactory)
    title = factory.LazyAttribute(lambda r: r.workflow.name)
    steps = factory.LazyAttribute(lambda r: r.workflow.steps)
    version = factory.LazyAttribute(lambda r: r.workflow.version)
    started_by = factory.SubFactory(UserFactory)


class AgentFactory(factory.django.DjangoModelFactory):
    """An agent row without an API key (``make_agent`` gives one that can authenticate)."""

    class Meta:
        model = Agent

    name = factory.Sequence(lambda n: f"agent-row-{n}")
    capabilities = factory.LazyFunction(lambda: ["lab.http"])


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    agent = factory.SubFactory(AgentFactory)
    action = factory.Sequence(lambda n: f"Recalibrate the balance {n}")
    reasoning = "Drift above tolerance in the last three readings."
    confidence = 0.8
    workflow = factory.SubFactory(WorkflowFactory)


class TriggerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trigger

    workflow = factory.SubFactory(WorkflowFactory)
    name = factory.Sequence(lambda n: f"trigger {n}")
    topic = "inventory"
    event_type = "stock.low"


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
