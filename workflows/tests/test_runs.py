"""Runs: steps start in order, retries wait longer each time, the state machine refuses what it must."""
from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, PermissionDenied
from workflows import services
from workflows.models import Run, Task

from .factories import key_user, make_agent, make_workflow, start, step

pytestmark = pytest.mark.django_db


def claim(agent):
    return services.claim_next_task(key_user(agent), agent)


def complete(agent, task, result=None):
    return services.complete_task(key_user(agent), agent, task, result=result)


def test_a_run_keeps_the_steps_it_started_with(make_user):
    workflow = make_workflow([step(name="check")])
    run = start(workflow)
    services.update_workflow(make_user("operator"), workflow, steps=[step(name="other"), step(name="more")])
    workflow.refresh_from_db()
    run.refresh_from_db()
    assert workflow.version == 2
    assert (run.version, [s["name"] for s in run.steps]) == (1, ["check"])
    assert list(run.tasks.values_list("name", flat=True)) == ["check"]


def test_steps_start_one_after_another_and_the_run_completes():
    workflow = make_workflow([step(name="first"), step(name="second")])
    agent, _ = make_agent()
    run = start(workflow)
    first = claim(agent)
    assert first.name == "first"
    assert claim(make_agent()[0]) is None  # the second step waits for the first
    complete(agent, first, {"ok": True})
    run.refresh_from_db()
    assert (run.state, run.progress) == (Run.State.RUNNING, 50)
    second = claim(agent)
    assert second.name == "second"
    complete(agent, second)
    run.refresh_from_db()
    agent.refresh_from_db()
    assert run.state == Run.State.COMPLETED and run.progress == 100 and run.ended_at >= run.started_at
    assert run.duration >= 0
    assert (agent.successes, agent.failures, agent.success_rate, agent.status) == (2, 0, 1.0, "online")


def test_a_failed_step_is_retried_after_a_wait_that_doubles_then_fails_the_run():
    run = start(make_workflow([step(retries=2, backoff_seconds=10), step()]))
    agent, _ = make_agent()
    task = claim(agent)
    before = timezone.now()
    services.fail_task(key_user(agent), agent, task, error="instrument busy")
    task.refresh_from_db()
    run.refresh_from_db()
    assert run.state == Run.State.RETRYING and task.state == Task.State.PENDING
    assert timedelta(seconds=9) < task.not_before - before <= timedelta(seconds=11)
    assert claim(agent) is None  # the claim respects the wait

    Task.objects.filter(pk=task.pk).update(not_before=timezone.now())
    task = claim(agent)
    run.refresh_from_db()
    assert run.state == Run.State.RUNNING and task.attempts == 2
    before = timezone.now()
    services.fail_task(key_user(agent), agent, task, error="still busy")
    task.refresh_from_db()
    assert timedelta(seconds=19) < task.not_before - before <= timedelta(seconds=21)

    Task.objects.filter(pk=task.pk).update(not_before=None)
    task = claim(agent)
    services.fail_task(key_user(agent), agent, task, error="gave up")
    run.refresh_from_db()
    agent.refresh_from_db()
    assert run.state == Run.State.FAILED and "gave up" in run.error
    assert list(run.tasks.values_list("state", flat=True)) == ["failed", "cancelled"]
    assert (agent.failures, agent.successes) == (3, 0)


def test_retrying_a_failed_run_starts_again_at_the_failed_step(make_user):
    run = start(make_workflow([step(name="a"), step(name="b")]))
    agent, _ = make_agent()
    complete(agent, claim(agent))
    services.fail_task(key_user(agent), agent, claim(agent), error="broken")
    member = make_user("member")
    services.retry_run(member, run)
    run.refresh_from_db()
    assert run.state == Run.State.PENDING and run.ended_at is None
    assert claim(agent).name == "b"


def test_a_paused_run_keeps_its_next_step_until_resumed(make_user):
    member = make_user("member")
    run = start(make_workflow([step(), step()]))
    agent, _ = make_agent()
    first = claim(agent)
    services.pause_run(member, run)
    complete(agent, first)  # the step under way still finishes
    run.refresh_from_db()
    assert run.state == Run.State.PAUSED
    assert claim(agent) is None
    services.resume_run(member, run)
    run.refresh_from_db()
    assert run.state == Run.State.RUNNING
    assert claim(agent) is not None


def test_a_run_paused_during_its_last_step_completes_when_the_step_does(make_user):
    run = start(make_workflow([step()]))
    agent, _ = make_agent()
    task = claim(agent)
    services.pause_run(make_user("member"), run)
    complete(agent, task)
    run.refresh_from_db()
    assert run.state == Run.State.COMPLETED


def test_cancel_frees_the_agent_and_its_reports_are_refused(make_user):
    run = start(make_workflow([step()]))
    agent, _ = make_agent()
    task = claim(agent)
    services.cancel_run(make_user("member"), run, reason="wrong sample")
    agent.refresh_from_db()
    assert agent.status == "online"
    with pytest.raises(Conflict, match="ended"):
        complete(agent, task)


@pytest.mark.parametrize(("verb", "state"), [("resume", "pending"), ("retry", "running"), ("pause", "completed"),
                                             ("cancel", "completed")])
def test_the_state_machine_refuses_impossible_moves_through_the_api(client_as, verb, state):
    run = start(make_workflow([step()]))
    if state != "pending":
        agent, _ = make_agent()
        task = claim(agent)
        if state == "completed":
            complete(agent, task)
    response = client_as("member").post(f"/api/workflows/runs/{run.pk}/{verb}/", {}, format="json")
    assert response.status_code == 409, response.data
    assert response.data["state"] == state and "cannot" in response.data["detail"]


def test_viewers_cannot_start_runs_through_the_service_or_the_api(make_user, client_as):
    workflow = make_workflow()
    with pytest.raises(PermissionDenied):
        services.start_workflow(make_user("viewer"), workflow)
    assert client_as("viewer").post(f"/api/workflows/workflows/{workflow.pk}/start/", {}).status_code == 403
    assert not Run.objects.exists()


def test_a_disabled_workflow_does_not_start(client_as, make_user):
    workflow = make_workflow(enabled=False)
    response = client_as("member").post(f"/api/workflows/workflows/{workflow.pk}/start/", {}, format="json")
    assert response.status_code == 409 and "disabled" in response.data["detail"]


def test_a_run_for_later_waits_scheduled_until_the_sweep_releases_it():
    later = timezone.now() + timedelta(hours=1)
    run = services.start_workflow(None, make_workflow(), origin=Run.Origin.SCHEDULE, scheduled_for=later)
    agent, _ = make_agent()
    assert run.state == Run.State.SCHEDULED and claim(agent) is None
    Run.objects.filter(pk=run.pk).update(scheduled_for=timezone.now())
    from workflows.tasks import sweep

    assert sweep.delay().get()["released"] == 1
    assert claim(agent).run_id == run.pk


@pytest.mark.parametrize("steps", [[], [{"name": "x"}], [{"name": "x", "capability": "Bad Cap"}],
                                   [{"name": "x", "capability": "ok", "retries": 99}],
                                   [{"name": "x", "capability": "ok", "on_agent_lost": "maybe"}],
                                   [{"name": "x", "capability": "ok", "shell": "rm -rf /"}], "nope"])
def test_bad_steps_are_refused_with_what_to_fix(client_as, steps):
    response = client_as("operator").post("/api/workflows/workflows/", {"name": "wf", "steps": steps},
                                          format="json")
    assert response.status_code == 400, response.data
    assert response.data["detail"]


def test_runs_list_in_a_fixed_number_of_queries(client_as):
    from core.testing import count_queries

    client = client_as("viewer")
    start(make_workflow())
    one, _ = count_queries(client, "/api/workflows/runs/")
    for _ in range(4):
        start(make_workflow([step(), step(), step()]))
    many, response = count_queries(client, "/api/workflows/runs/")
    assert one == many and response.data["count"] == 5
    one_t, _ = count_queries(client, "/api/workflows/timeline/?state=pending")
    assert one_t <= one


def test_a_run_can_be_given_a_due_time_after_it_starts(client_as):
    workflow = make_workflow()
    client = client_as("member")
    due = timezone.now() + timedelta(hours=2)
    response = client.post(f"/api/workflows/workflows/{workflow.pk}/start/", {"due_at": due.isoformat()},
                           format="json")
    assert response.status_code == 201 and response.data["due_at"]
    past = client.post(f"/api/workflows/workflows/{workflow.pk}/start/",
                       {"due_at": (timezone.now() - timedelta(minutes=1)).isoformat()}, format="json")
    assert past.status_code == 400 and "after the run starts" in past.data["detail"]
    assert Run.objects.count() == 1
