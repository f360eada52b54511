"""Task reports: progress, batched log lines, results and errors, only from the agent that holds the task."""
import pytest

from core.models import Event
from workflows.models import LogLine, Run, Task

from .factories import agent_client, make_agent, make_workflow, start, step

pytestmark = pytest.mark.django_db
B = "/api/workflows/agent/tasks"


@pytest.fixture
def holding():
    """An agent's client holding the first task of a two-step run."""
    run = start(make_workflow([step(), step()]))
    agent, secret = make_agent()
    client = agent_client(secret)
    task = client.post("/api/workflows/agent/claim/").data
    return client, run, task["id"]


def test_progress_moves_the_task_and_the_run(holding):
    client, run, task = holding
    response = client.post(f"{B}/{task}/progress/", {"progress": 50}, format="json")
    assert response.status_code == 200 and response.data["progress"] == 50
    run.refresh_from_db()
    assert run.progress == 25  # half of the first of two steps


def test_log_lines_are_stored_in_one_batch_numbered_and_published(holding, django_capture_on_commit_callbacks):
    client, run, task = holding
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{B}/{task}/logs/", {"lines": ["warming up", {"level": "warning", "message": "hot"}]},
                               format="json")
        client.post(f"{B}/{task}/logs/", {"lines": ["ready"]}, format="json")
    assert response.status_code == 200 and response.data == {"stored": 2}
    assert list(LogLine.objects.values_list("number", "level", "message")) == [
        (1, "info", "warming up"), (2, "warning", "hot"), (3, "info", "ready")]
    batch = Event.objects.filter(topic=f"run:{run.pk}", type="task.log").order_by("id").first()
    assert batch.data["lines"][1] == {"level": "warning", "message": "hot"} and batch.position is not None
    listed = client_logs(run)
    assert [line["message"] for line in listed] == ["warming up", "hot", "ready"]


def client_logs(run):
    from rest_framework.test import APIClient

    from accounts.tests.factories import UserFactory

    client = APIClient()
    client.force_authenticate(UserFactory(role="viewer"))
    return client.get(f"/api/workflows/runs/{run.pk}/logs/").data["results"]


@pytest.mark.parametrize("lines", [[], "text", [{"level": "loud", "message": "x"}], [{"message": 5}],
                                   ["x"] * 501])
def test_bad_log_batches_are_refused_and_nothing_is_kept(holding, lines):
    client, _, task = holding
    response = client.post(f"{B}/{task}/logs/", {"lines": lines}, format="json")
    assert response.status_code == 400 and response.data["detail"]
    assert not LogLine.objects.exists()


def test_complete_starts_the_next_step_and_stops_the_tail(holding):
    client, run, task = holding
    assert client.post(f"{B}/{task}/complete/", {"result": {"rows": 3}}, format="json").status_code == 200
    assert Task.objects.get(pk=task).result == {"rows": 3}
    refused = client.post(f"{B}/{task}/logs/", {"lines": ["late line"]}, format="json")
    assert refused.status_code == 409 and refused.data["error"] == "task_ended"
    assert list(run.tasks.values_list("state", flat=True)) == ["completed", "pending"]


def test_another_agent_cannot_report_on_a_task_it_does_not_hold(holding):
    _, run, task = holding
    _, other_secret = make_agent()
    other = agent_client(other_secret)
    for report, body in [("progress", {"progress": 10}), ("logs", {"lines": ["x"]}), ("complete", {}),
                         ("fail", {"error": "x"})]:
        response = other.post(f"{B}/{task}/{report}/", body, format="json")
        assert response.status_code == 409 and response.data["error"] == "not_holder", report
    assert Task.objects.get(pk=task).state == "running"


def test_fail_without_retries_fails_the_run_with_the_error(holding):
    client, run, task = holding
    response = client.post(f"{B}/{task}/fail/", {"error": "sensor unplugged"}, format="json")
    assert response.status_code == 200 and response.data["state"] == "failed"
    run.refresh_from_db()
    assert run.state == Run.State.FAILED and "sensor unplugged" in run.error
    assert client.post(f"{B}/{task}/fail/", {"error": ""}, format="json").status_code == 400


def test_reports_on_an_unknown_task_are_404(holding):
    client, _, _ = holding
    assert client.post(f"{B}/999999/progress/", {"progress": 1}, format="json").status_code == 404
    assert client.post(f"{B}/{2**70}/progress/", {"progress": 1}, format="json").status_code == 404
