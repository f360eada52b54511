"""The admin door: forms and actions go through the same services as the API."""
import json

import pytest

from core.models import AuditEntry
from workflows.models import Run, Suggestion, Workflow

from .factories import key_user, make_agent, make_workflow, start, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client, make_user):
    client.force_login(make_user("operator"))
    return client


def test_a_workflow_added_in_the_admin_has_its_steps_checked(operator_client):
    bad = operator_client.post("/admin/workflows/workflow/add/", {
        "name": "Bad", "description": "", "steps": json.dumps([{"name": "x", "capability": "Not OK"}]),
        "enabled": "on", "priority": 0}, follow=True)
    assert b"a capability is 1-60 lower-case letters" in bad.content
    assert not Workflow.objects.exists()
    good = operator_client.post("/admin/workflows/workflow/add/", {
        "name": "Good", "description": "", "steps": json.dumps([step("lab.http", name="check")]),
        "enabled": "on", "priority": 0})
    assert good.status_code == 302
    workflow = Workflow.objects.get(name="Good")
    assert workflow.steps[0]["retries"] == 0 and AuditEntry.objects.filter(action="workflow.create").exists()


def test_admin_actions_cancel_and_retry_runs_through_the_services(operator_client):
    run = start(make_workflow())
    response = operator_client.post("/admin/workflows/run/", {"action": "retry_runs", "_selected_action": [run.pk]},
                                    follow=True)
    assert b"cannot be retried" in response.content  # a pending run: the state machine says no
    operator_client.post("/admin/workflows/run/", {"action": "cancel_runs", "_selected_action": [run.pk]})
    run.refresh_from_db()
    assert run.state == Run.State.CANCELLED
    assert AuditEntry.objects.filter(action="run.cancel", object_id=str(run.pk)).exists()


def test_admin_approves_pending_suggestions_only(operator_client):
    from workflows import services

    agent, _ = make_agent()
    suggestion = services.make_suggestion(key_user(agent), agent, action="Restock", confidence=0.5)
    operator_client.post("/admin/workflows/suggestion/", {"action": "approve", "_selected_action": [suggestion.pk]})
    again = operator_client.post("/admin/workflows/suggestion/",
                                 {"action": "reject", "_selected_action": [suggestion.pk]}, follow=True)
    assert b"already approved" in again.content
    assert Suggestion.objects.get(pk=suggestion.pk).state == "approved"


def test_lists_of_suggestions_and_triggers_run_a_fixed_number_of_queries(client_as):
    from core.testing import count_queries
    from workflows import services

    client = client_as("viewer")
    agent, _ = make_agent()
    services.make_suggestion(key_user(agent), agent, action="a", confidence=0.5)
    one, _ = count_queries(client, "/api/workflows/suggestions/")
    for n in range(4):
        other, _ = make_agent()
        services.make_suggestion(key_user(other), other, action=f"b{n}", confidence=0.5)
    many, response = count_queries(client, "/api/workflows/suggestions/")
    assert one == many and response.data["count"] == 5
