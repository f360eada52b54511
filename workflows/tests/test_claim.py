"""Claiming: an agent gets the next task it can do, atomically; two agents never share one."""
import threading

import pytest
from django.db import close_old_connections, connection

from workflows import services
from workflows.models import Task

from .factories import agent_client, key_user, make_agent, make_workflow, start, step


@pytest.mark.django_db
def test_claim_answers_a_matching_task_or_204():
    agent, secret = make_agent(capabilities=["exports"])
    client = agent_client(secret)
    start(make_workflow([step("lab.http")]))
    assert client.post("/api/workflows/agent/claim/").status_code == 204
    wanted = start(make_workflow([step("exports", parameters={"action": "wait", "seconds": 0})]))
    response = client.post("/api/workflows/agent/claim/")
    assert response.status_code == 200
    assert response.data["run"] == wanted.pk and response.data["parameters"]["action"] == "wait"
    assert response.data["state"] == "running" and response.data["attempts"] == 1


@pytest.mark.django_db
def test_an_agent_holding_a_task_cannot_claim_another():
    agent, secret = make_agent()
    start(make_workflow([step()]))
    start(make_workflow([step()]))
    client = agent_client(secret)
    assert client.post("/api/workflows/agent/claim/").status_code == 200
    response = client.post("/api/workflows/agent/claim/")
    assert response.status_code == 409 and "already holds" in response.data["detail"]


@pytest.mark.django_db
def test_higher_priority_workflows_are_claimed_first():
    start(make_workflow([step()], priority=0))
    urgent = start(make_workflow([step()], priority=5))
    agent, _ = make_agent()
    assert services.claim_next_task(key_user(agent), agent).run_id == urgent.pk


def _claim_all(agents, total):
    """Each agent claims and completes in its own thread until nothing is left; returns every claimed id."""
    claimed, errors = [], []
    lock = threading.Lock()

    def work(agent):
        try:
            user = key_user(agent)
            while True:
                task = services.claim_next_task(user, agent)
                if task is None:
                    return
                services.complete_task(user, agent, task)
                with lock:
                    claimed.append(task.pk)
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return claimed, errors


@pytest.mark.full("postgres")
@pytest.mark.django_db(transaction=True)
def test_ten_agents_claiming_two_hundred_tasks_at_once_get_each_exactly_once():
    workflow = make_workflow([step()])
    runs = [start(workflow) for _ in range(200)]
    agents = [make_agent()[0] for _ in range(10)]
    claimed, errors = _claim_all(agents, 200)
    assert not errors
    assert len(claimed) == 200 and len(set(claimed)) == 200
    assert set(claimed) == set(Task.objects.filter(run__in=runs).values_list("pk", flat=True))
    assert Task.objects.filter(state="completed").count() == 200


@pytest.mark.django_db
def test_agents_claiming_in_turn_each_get_a_different_task():
    """The embedded-mode case: SQLite's in-memory test database cannot host writer threads (its shared
    cache locks whole tables without waiting), so agents claim in turn; each sees the others' claims."""
    workflow = make_workflow([step()])
    for _ in range(12):
        start(workflow)
    agents = [make_agent()[0] for _ in range(10)]
    claimed = [services.claim_next_task(key_user(agent), agent).pk for agent in agents]
    assert len(set(claimed)) == 10
    assert Task.objects.filter(state="running").count() == 10
    assert Task.objects.filter(state="pending").count() == 2
