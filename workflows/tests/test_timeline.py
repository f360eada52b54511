"""The one timeline: other apps' activities as runs, and the run topics followed over the websocket."""
import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import RefreshToken

from config.asgi import application
from core.errors import Conflict, RuleViolation
from workflows import services
from workflows.models import Run

from .factories import key_user, make_agent, make_workflow, start, step


@pytest.mark.django_db
def test_another_apps_activity_appears_and_moves_on_the_timeline(client_as, django_capture_on_commit_callbacks):
    from core.models import Event

    with django_capture_on_commit_callbacks(execute=True):
        services.report_activity(None, source="equipment", reference="job-12", title="Print: bracket", state="running",
                                 progress=10, link="/equipment/jobs/12/")
        services.report_activity(None, source="equipment", reference="job-12", title="Print: bracket",
                                 state="completed")
    entry = Run.objects.get(source="equipment")
    assert entry.state == "completed" and entry.progress == 100 and entry.started_at and entry.ended_at
    start(make_workflow())
    listed = client_as("viewer").get("/api/workflows/timeline/").data["results"]
    assert {row["source"] for row in listed} == {"equipment", "workflows"}
    assert Event.objects.filter(topic="workflows", type="run.changed", data__source="equipment").count() == 2
    with pytest.raises(Conflict):
        services.report_activity(None, source="equipment", reference="job-12", title="Print", state="running")


@pytest.mark.django_db
@pytest.mark.parametrize("fields", [{"source": "workflows"}, {"state": "exploded"}, {"reference": ""},
                                    {"progress": 101}])
def test_bad_activity_reports_are_refused(fields):
    report = {"source": "meetings", "reference": "t-1", "title": "Transcribe", "state": "running", **fields}
    with pytest.raises(RuleViolation):
        services.report_activity(None, **report)
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_people_cannot_act_on_another_apps_activity(client_as):
    entry = services.report_activity(None, source="meetings", reference="t-2", title="Transcribe", state="running")
    response = client_as("member").post(f"/api/workflows/runs/{entry.pk}/cancel/", {}, format="json")
    assert response.status_code == 409 and "meetings" in response.data["detail"]


@database_sync_to_async
def _scene(make_user):
    user = make_user("viewer")
    run = start(make_workflow([step()]))
    agent, _ = make_agent()
    return str(RefreshToken.for_user(user).access_token), run, agent


@database_sync_to_async
def _claim_and_log(agent, lines):
    user = key_user(agent)
    task = services.claim_next_task(user, agent)
    services.append_logs(user, agent, task, lines)
    return task


@database_sync_to_async
def _complete(agent, task):
    services.complete_task(key_user(agent), agent, task)


async def _frames(ws, until):
    seen = []
    while True:
        frame = await ws.receive_json_from(timeout=5)
        seen.append(frame)
        if until(frame):
            return seen


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layers")
async def test_a_run_page_client_sees_steps_and_logs_live_and_catches_up_after_reconnecting(make_user):
    token, run, agent = await _scene(make_user)
    ws = WebsocketCommunicator(application, f"/ws/?token={token}", headers=[(b"origin", b"http://127.0.0.1")])
    assert (await ws.connect())[0]
    assert (await ws.receive_json_from())["type"] == "authenticated"
    await ws.send_json_to({"action": "subscribe", "topic": f"run:{run.pk}", "after": 0})
    backlog = await _frames(ws, lambda f: f["type"] == "subscribed")
    assert [f["type"] for f in backlog] == ["run.changed", "subscribed"]
    last_id = backlog[0]["id"]

    task = await _claim_and_log(agent, ["heating", "holding 37 C"])
    live = await _frames(ws, lambda f: f["type"] == "task.log")
    assert live[-1]["data"]["lines"][1]["message"] == "holding 37 C"
    await ws.disconnect()

    await _complete(agent, task)  # happens while the client is away
    ws = WebsocketCommunicator(application, f"/ws/?token={token}", headers=[(b"origin", b"http://127.0.0.1")])
    assert (await ws.connect())[0]
    await ws.receive_json_from()
    await ws.send_json_to({"action": "subscribe", "topic": f"run:{run.pk}", "after": last_id})
    caught_up = await _frames(ws, lambda f: f["type"] == "subscribed")
    states = [f["data"]["state"] for f in caught_up if f["type"] == "run.changed"]
    assert states[-1] == "completed" and "task.log" in [f["type"] for f in caught_up]
    assert all(f["id"] > last_id for f in caught_up if f["type"] != "subscribed")
    await ws.send_json_to({"action": "subscribe", "topic": "run:999999"})
    refused = await ws.receive_json_from()
    assert refused["type"] == "error" and refused["error"] == "forbidden"
    await ws.disconnect()
