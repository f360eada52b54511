"""The workflows pages: each daily task has a form that calls the service and shows a refusal in place."""
import pytest

from workflows.models import Agent, Run

from .factories import make_agent, make_workflow, start, step

pytestmark = pytest.mark.django_db


def test_the_timeline_lists_runs_and_follows_the_timeline_topic(client, make_user):
    run = start(make_workflow(name="Nightly export"))
    client.force_login(make_user("viewer"))
    page = client.get("/workflows/")
    assert page.status_code == 200
    assert f'data-run="{run.pk}"'.encode() in page.content and b'data-live-topics="workflows"' in page.content
    assert b'id="start-form"' not in page.content  # viewers do not start runs


def test_a_member_starts_a_run_from_the_timeline(client, make_user):
    workflow = make_workflow()
    client.force_login(make_user("member"))
    response = client.post("/workflows/start/", {"workflow": workflow.pk})
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workflows/runs/{run.pk}/"
    bad = client.post("/workflows/start/", {"workflow": 999999})
    assert bad.status_code == 400 and b"Choose a workflow" in bad.content


def test_viewers_cannot_start_runs_from_the_page(client, make_user):
    workflow = make_workflow()
    client.force_login(make_user("viewer"))
    assert client.post("/workflows/start/", {"workflow": workflow.pk}).status_code == 403
    assert not Run.objects.exists()


def test_the_run_page_shows_a_refused_action_in_place(client, make_user):
    run = start(make_workflow([step()]))
    client.force_login(make_user("member"))
    page = client.get(f"/workflows/runs/{run.pk}/")
    assert page.status_code == 200 and f'data-live-topics="run:{run.pk}"'.encode() in page.content
    refused = client.post(f"/workflows/runs/{run.pk}/resume/")
    assert refused.status_code == 409 and b"cannot be resumed" in refused.content
    assert client.post(f"/workflows/runs/{run.pk}/explode/").status_code == 404
    assert client.post(f"/workflows/runs/{run.pk}/cancel/").status_code == 302
    run.refresh_from_db()
    assert run.state == "cancelled"


def test_comments_from_the_run_page(client, make_user):
    run = start(make_workflow())
    client.force_login(make_user("member"))
    assert client.post(f"/workflows/runs/{run.pk}/comment/", {"body": "sample 4 is late"}).status_code == 302
    assert b"sample 4 is late" in client.get(f"/workflows/runs/{run.pk}/").content
    assert client.post(f"/workflows/runs/{run.pk}/comment/", {"body": ""}).status_code == 400


def test_an_operator_creates_an_agent_on_the_board_and_sees_the_key_once(client, make_user):
    client.force_login(make_user("operator"))
    page = client.post("/workflows/agents/", {"name": "cold-room pi", "capabilities": "lab.http, exports",
                                              "role": "member"})
    assert page.status_code == 200 and b'id="new-key"' in page.content and b"bt_" in page.content
    agent = Agent.objects.get(name="cold-room pi")
    assert agent.capabilities == ["exports", "lab.http"]
    again = client.get("/workflows/agents/")
    assert b'id="new-key"' not in again.content and b"cold-room pi" in again.content
    taken = client.post("/workflows/agents/", {"name": "cold-room pi", "capabilities": "x", "role": "member"})
    assert taken.status_code == 409 and b"already exists" in taken.content


def test_members_cannot_create_agents_or_rotate_keys_from_the_board(client, make_user):
    agent, _ = make_agent()
    client.force_login(make_user("member"))
    assert client.post("/workflows/agents/", {"name": "x", "capabilities": "a", "role": "member"}).status_code == 403
    assert client.post(f"/workflows/agents/{agent.pk}/rotate-key/").status_code == 403
    assert Agent.objects.count() == 1


def test_rotating_a_key_on_the_board_shows_the_new_key(client, make_user):
    operator = make_user("operator")
    agent, _ = make_agent(actor=operator)
    client.force_login(operator)
    page = client.post(f"/workflows/agents/{agent.pk}/rotate-key/")
    assert page.status_code == 200 and b'id="new-key"' in page.content


def test_the_inbox_lists_pending_suggestions_with_forms(client, make_user):
    from workflows import services

    from .factories import key_user

    agent, _ = make_agent()
    services.make_suggestion(key_user(agent), agent, action="Order more pipette tips", confidence=0.6)
    client.force_login(make_user("operator"))
    page = client.get("/workflows/suggestions/")
    assert b"Order more pipette tips" in page.content and b"Approve" in page.content
    client.force_login(make_user("viewer"))
    assert b"Approve</button>" not in client.get("/workflows/suggestions/").content
