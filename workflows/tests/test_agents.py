"""Agents: keys from the accounts key service, shown once; heartbeats; offline after three missed beats."""
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ApiKey
from core.models import AuditEntry
from workflows import services
from workflows.models import Agent, Run, Task
from workflows.tasks import sweep

from .factories import agent_client, key_user, make_agent, make_workflow, start, step

pytestmark = pytest.mark.django_db


def test_an_operator_creates_an_agent_and_sees_its_key_once(client_as):
    client = client_as("operator")
    response = client.post("/api/workflows/agents/", {"name": "bench-pi", "capabilities": ["lab.http", "exports"]},
                           format="json")
    assert response.status_code == 201, response.data
    secret = response.data["api_key"]
    agent = Agent.objects.get(name="bench-pi")
    assert agent.api_key.key_hash != secret and agent.api_key.role == "member"
    assert "api_key" not in client.get(f"/api/workflows/agents/{agent.pk}/").data
    assert agent_client(secret).post("/api/workflows/agent/heartbeat/").status_code == 200


def test_rotating_the_key_revokes_the_old_one_at_once(client_as):
    client = client_as("operator")
    agent, old = make_agent(actor=client.user)
    response = client.post(f"/api/workflows/agents/{agent.pk}/rotate-key/")
    assert response.status_code == 200
    new = response.data["api_key"]
    assert agent_client(old).post("/api/workflows/agent/heartbeat/").status_code == 401
    assert agent_client(new).post("/api/workflows/agent/heartbeat/").status_code == 200
    assert ApiKey.objects.filter(revoked_at__isnull=True, agent__isnull=False).count() == 1


def test_an_operator_cannot_rotate_another_operators_agent_key(client_as):
    agent, secret = make_agent()
    response = client_as("operator").post(f"/api/workflows/agents/{agent.pk}/rotate-key/")
    assert response.status_code == 403
    assert agent_client(secret).post("/api/workflows/agent/heartbeat/").status_code == 200


def test_agent_endpoints_take_only_an_agents_key(make_user, client_as):
    from accounts.services.api_keys import create_api_key

    owner = make_user("operator")
    _, plain_key = create_api_key(owner, name="printer", user=owner, role="member")
    response = agent_client(plain_key).post("/api/workflows/agent/claim/")
    assert response.status_code == 403 and "belongs to no agent" in response.data["detail"]
    assert client_as("admin").post("/api/workflows/agent/claim/").status_code == 403


def test_heartbeat_marks_online_and_busy_while_holding_a_task():
    agent, secret = make_agent()
    client = agent_client(secret)
    response = client.post("/api/workflows/agent/heartbeat/")
    assert response.data["status"] == "online" and response.data["heartbeat_seconds"] == 10
    start(make_workflow([step()]))
    assert client.post("/api/workflows/agent/claim/").status_code == 200
    assert client.post("/api/workflows/agent/heartbeat/").data["status"] == "busy"


@pytest.mark.parametrize(("policy", "task_state", "run_state"), [("retry", "pending", "pending"),
                                                                   ("fail", "failed", "crashed")])
def test_an_agent_silent_for_three_heartbeats_goes_offline_and_its_task_follows_the_policy(
        settings, policy, task_state, run_state):
    settings.WORKFLOWS_HEARTBEAT_SECONDS = 10
    run = start(make_workflow([step(on_agent_lost=policy)]))
    agent, _ = make_agent()
    task = services.claim_next_task(key_user(agent), agent)
    Agent.objects.filter(pk=agent.pk).update(last_seen_at=timezone.now() - timedelta(seconds=29))
    assert sweep.delay().get()["offline"] == 0  # two missed beats are not three
    Agent.objects.filter(pk=agent.pk).update(last_seen_at=timezone.now() - timedelta(seconds=31))
    assert sweep.delay().get()["offline"] == 1
    agent.refresh_from_db()
    task.refresh_from_db()
    run.refresh_from_db()
    assert agent.status == "offline" and agent.failures == 1
    assert (task.state, run.state) == (task_state, run_state)
    assert AuditEntry.objects.filter(action="agent.offline", object_id=str(agent.pk)).exists()
    if policy == "retry":
        other, _ = make_agent()
        assert services.claim_next_task(key_user(other), other).pk == task.pk


def test_the_admin_action_marks_nothing_offline_that_is_alive(settings):
    agent, secret = make_agent()
    agent_client(secret).post("/api/workflows/agent/heartbeat/")
    assert services.mark_offline(agent).status == "online"


def test_a_task_past_its_timeout_counts_as_a_failed_attempt():
    run = start(make_workflow([step(timeout_seconds=5, retries=1)]))
    agent, _ = make_agent()
    task = services.claim_next_task(key_user(agent), agent)
    Task.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(seconds=6))
    assert sweep.delay().get()["timed_out"] == 1
    task.refresh_from_db()
    run.refresh_from_db()
    assert task.state == "pending" and "timed out" in task.error and run.state == Run.State.RETRYING


def test_agents_list_in_a_fixed_number_of_queries(client_as):
    from core.testing import count_queries

    client = client_as("viewer")
    make_agent()
    one, _ = count_queries(client, "/api/workflows/agents/")
    for _ in range(4):
        make_agent()
    many, response = count_queries(client, "/api/workflows/agents/")
    assert one == many and response.data["count"] == 5
