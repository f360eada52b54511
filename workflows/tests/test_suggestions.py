"""Suggestions: agents propose, operators decide while pending; approving can start a workflow."""
import pytest

from core.errors import PermissionDenied
from core.models import AuditEntry
from workflows import services
from workflows.models import Comment, Run, Suggestion

from .factories import agent_client, make_agent, make_workflow, start

pytestmark = pytest.mark.django_db


def suggest(secret, **body):
    return agent_client(secret).post("/api/workflows/agent/suggestions/", body, format="json")


def test_approving_a_suggestion_that_names_a_workflow_starts_it(client_as):
    workflow = make_workflow()
    _, secret = make_agent()
    created = suggest(secret, action="Export stock", reasoning="low gloves", confidence=0.9, workflow=workflow.pk)
    assert created.status_code == 201, created.data
    response = client_as("operator").post(f"/api/workflows/suggestions/{created.data['id']}/approve/",
                                          {"note": "go"}, format="json")
    assert response.status_code == 200 and response.data["state"] == "approved"
    run = Run.objects.get(pk=response.data["started_run"])
    assert (run.workflow_id, run.origin) == (workflow.pk, Run.Origin.SUGGESTION)


def test_a_decided_suggestion_cannot_be_decided_again_through_api_or_page(client_as, client, make_user):
    _, secret = make_agent()
    suggestion_id = suggest(secret, action="Recalibrate", confidence=0.3).data["id"]
    operator = client_as("operator")
    assert operator.post(f"/api/workflows/suggestions/{suggestion_id}/reject/", {}).status_code == 200
    again = operator.post(f"/api/workflows/suggestions/{suggestion_id}/approve/", {})
    assert again.status_code == 409 and "already rejected" in again.data["detail"]
    client.force_login(make_user("operator"))
    page = client.post(f"/workflows/suggestions/{suggestion_id}/approve/", {"note": ""})
    assert page.status_code == 409 and b"already rejected" in page.content
    assert Suggestion.objects.get(pk=suggestion_id).state == "rejected"
    assert not Run.objects.exists()


def test_the_inbox_form_approves_in_place(client, make_user):
    agent, secret = make_agent()
    suggestion_id = suggest(secret, action="Restock", confidence=0.5).data["id"]
    client.force_login(make_user("operator"))
    response = client.post(f"/workflows/suggestions/{suggestion_id}/approve/", {"note": "fine"}, follow=True)
    assert response.status_code == 200 and b"Suggestion approved" in response.content
    assert AuditEntry.objects.filter(action="suggestion.approve").exists()


@pytest.mark.parametrize("body", [{"action": "", "confidence": 0.5}, {"action": "x", "confidence": 1.5},
                                  {"action": "x", "confidence": "high"}])
def test_bad_suggestions_are_refused(body):
    _, secret = make_agent()
    assert suggest(secret, **body).status_code == 400
    assert not Suggestion.objects.exists()


def test_members_cannot_decide(client_as, make_user):
    agent, secret = make_agent()
    suggestion_id = suggest(secret, action="x", confidence=0.5).data["id"]
    assert client_as("member").post(f"/api/workflows/suggestions/{suggestion_id}/approve/", {}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.approve_suggestion(make_user("member"), Suggestion.objects.get(pk=suggestion_id))


def test_people_and_agents_comment_on_a_run(client_as):
    run = start(make_workflow())
    _, secret = make_agent()
    assert agent_client(secret).post(f"/api/workflows/agent/runs/{run.pk}/comments/", {"body": "looks slow"},
                                     format="json").status_code == 201
    client = client_as("member")
    assert client.post(f"/api/workflows/runs/{run.pk}/comments/", {"body": "ok"}, format="json").status_code == 201
    listed = client.get(f"/api/workflows/runs/{run.pk}/comments/").data["results"]
    assert [(c["agent_name"] is not None, c["body"]) for c in listed] == [(True, "looks slow"), (False, "ok")]
    assert Comment.objects.count() == 2
