"""System status: readings, warnings raised once as events, the page, the command and the gauges."""
import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Event
from equipment.models import Command
from equipment.tests.factories import MachineFactory
from workshop.events import SYSTEM_RECOVERED, SYSTEM_WARNING

pytestmark = pytest.mark.django_db(transaction=False)


def _stuck_command(seconds=120):
    machine = MachineFactory(name="Printer one")
    command = Command.objects.create(machine=machine, name="home")
    Command.objects.filter(pk=command.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))
    return command


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_operator_reads_host_services_gateway_and_machines(client_as, settings):
    # The shared build machine may well be busy or full: this test is about the shape, not the host.
    settings.WORKSHOP_CPU_WARN_PERCENT = settings.WORKSHOP_MEMORY_WARN_PERCENT = 101
    settings.WORKSHOP_DISK_WARN_PERCENT = 101
    settings.WORKSHOP_TEMPERATURE_WARN_C = 500
    MachineFactory(name="Laser", state="idle", last_seen_at=timezone.now())
    response = client_as("operator").get("/api/system/status/")
    assert response.status_code == 200
    body = response.json()
    assert 0 <= body["host"]["cpu_percent"] <= 100
    assert body["host"]["memory_total_mb"] > 0 and 0 < body["host"]["disk_percent"] <= 100
    assert body["services"]["database"]["status"] == "ok"
    assert body["gateway"]["status"] == "ok"
    assert [m["name"] for m in body["machines"]] == ["Laser"] and body["machines"][0]["status"] == "ok"
    assert body["warnings"] == {}


def test_a_silent_machine_shows_as_a_connection_error(client_as, settings):
    settings.EQUIPMENT_WATCHDOG_SECONDS = 30
    MachineFactory(name="Quiet", state="printing", last_seen_at=timezone.now() - timedelta(minutes=5))
    body = client_as("operator").get("/api/system/status/").json()
    assert body["machines"][0]["status"] == "error"
    assert any("Quiet" in w["summary"] for w in body["warnings"].values())


def test_stuck_gateway_warns_once_then_recovers(client_as):
    command = _stuck_command()
    client = client_as("operator")
    body = client.get("/api/system/status/").json()
    assert body["gateway"]["status"] == "error" and body["gateway"]["queued_commands"] == 1
    assert "gateway" in body["warnings"]
    client.get("/api/system/status/")
    warned = Event.objects.filter(topic="workshop", type=SYSTEM_WARNING, data__check="gateway")
    assert warned.count() == 1, "a warning that persists is announced once"
    Command.objects.filter(pk=command.pk).update(status=Command.Status.DONE, done_at=timezone.now())
    assert client.get("/api/system/status/").json()["gateway"]["status"] == "ok"
    assert Event.objects.filter(topic="workshop", type=SYSTEM_RECOVERED, data__check="gateway").count() == 1


def test_limits_come_from_settings(client_as, settings):
    settings.WORKSHOP_MEMORY_WARN_PERCENT = 0.0
    body = client_as("operator").get("/api/system/status/").json()
    assert "host.memory" in body["warnings"]
    assert Event.objects.filter(topic="workshop", type=SYSTEM_WARNING, data__check="host.memory").exists()


def test_unreachable_redis_is_an_error_not_a_500(client_as, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_free_port()}/0"
    response = client_as("operator").get("/api/system/status/")
    assert response.status_code == 200
    body = response.json()
    assert body["services"]["redis"]["status"] == "error"
    assert all(queue["depth"] is None and queue["error"] for queue in body["queues"])
    assert "service.redis" in body["warnings"]


def test_members_are_refused(client_as):
    assert client_as("member").get("/api/system/status/").status_code == 403


def test_page_shows_the_same_warning(client, make_user):
    _stuck_command()
    client.force_login(make_user("operator"))
    response = client.get("/workshop/system/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-check="gateway"' in page and "waited" in page and 'data-live-topics="workshop"' in page


def test_page_is_for_operators(client, make_user):
    client.force_login(make_user("member"))
    assert client.get("/workshop/system/").status_code == 403


def test_command_prints_warnings_and_metrics_carry_the_readings(client):
    _stuck_command()
    out = StringIO()
    call_command("check_system", stdout=out)
    assert "WARNING gateway" in out.getvalue()
    metrics = client.get("/metrics").content.decode()
    assert "benchtop_host_usage_percent" in metrics
    line = next(row for row in metrics.splitlines() if row.startswith("benchtop_gateway_oldest_command_seconds"))
    assert float(line.split()[-1]) >= 100


def test_workshop_topic_is_for_operators(make_user):
    from core import topics

    assert topics.may_subscribe(make_user("operator"), "workshop")[0]
    assert not topics.may_subscribe(make_user("member"), "workshop")[0]


@pytest.mark.full("redis")
def test_queue_depth_is_the_length_of_the_redis_list(client_as, settings):
    import redis

    settings.WORKSHOP_QUEUE_WARN_DEPTH = 3
    client = redis.Redis.from_url(settings.REDIS_URL)
    key = "hardware"
    before = client.llen(key)
    client.lpush(key, *[b"{}"] * 3)
    try:
        body = client_as("operator").get("/api/system/status/").json()
        depth = {q["name"]: q["depth"] for q in body["queues"]}
        assert depth[key] == before + 3
        assert "queue.hardware" in body["warnings"]
        assert body["services"]["redis"]["status"] == "ok"
    finally:
        for _ in range(3):
            client.lpop(key)


def test_the_periodic_task_raises_the_same_warning():
    from workshop.tasks import check_system_task

    _stuck_command()
    assert check_system_task.delay().get() >= 1
    assert Event.objects.filter(topic="workshop", type=SYSTEM_WARNING, data__check="gateway").count() == 1


@pytest.mark.full("redis")
def test_the_oldest_task_age_is_read_from_the_broker(settings):
    import time
    import uuid
    import warnings

    import redis

    from config.celery import app
    from workshop import system

    name = f"test-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        assert system.queues([name]) == [{"name": name, "depth": 0, "oldest_seconds": 0.0}]
        # Real Celery messages on the real broker, as any publisher sends them; the first says it was
        # queued 42 s ago, as a task would that no worker took.
        with warnings.catch_warnings():  # send_task always publishes, eager mode or not: that is the point
            warnings.simplefilter("ignore")
            app.send_task("workshop.tasks.check_system", queue=name, headers={system.SENT_AT: time.time() - 42})
            app.send_task("workshop.tasks.check_system", queue=name)
        [row] = system.queues([name])
        assert row["depth"] == 2 and 41 <= row["oldest_seconds"] < 60
        client.rpop(name)  # a worker takes the oldest: the next one is seconds old
        [row] = system.queues([name])
        assert row["depth"] == 1 and row["oldest_seconds"] < 10
    finally:
        client.delete(name)


def test_the_oldest_outbox_job_is_shown_warned_and_measured(client_as, client, make_user, settings):
    from core.models import OutboxJob

    settings.WORKSHOP_QUEUE_WARN_SECONDS = 60
    job = OutboxJob.objects.create(task="workshop.tasks.check_system")
    OutboxJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=90))
    body = client_as("operator").get("/api/system/status/").json()
    assert body["outbox"]["waiting"] == 1 and 89 <= body["outbox"]["oldest_seconds"] < 120
    assert "outbox" in body["warnings"]
    out = StringIO()
    call_command("check_system", stdout=out)
    assert "WARNING outbox" in out.getvalue()
    client.force_login(make_user("operator"))
    page = client.get("/workshop/system/").content.decode()
    assert 'data-queue="outbox"' in page and "oldest waited" in page
    metrics = client.get("/metrics").content.decode()
    line = next(row for row in metrics.splitlines() if row.startswith("benchtop_outbox_oldest_seconds"))
    assert float(line.split()[-1]) >= 89
