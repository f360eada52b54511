"""A Redis outage is not an API outage: reads, writes, logins, throttles, background jobs and /health.

Cache, channel layer and Celery broker are pointed at a private redis-server that the test
stops; PostgreSQL (or SQLite) keeps the data.
"""
import logging
import time

import pytest
from rest_framework.throttling import SimpleRateThrottle

from config.celery import app
from core import outbox
from core.models import Event, OutboxJob
from scheduler.tests.factories import DeviceFactory, at

from .private_redis import private_redis  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layers")]


def _reset_broker_connections():
    # Celery caches its broker connection pool; a new URL needs a new pool.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def on_private_redis(private_redis, settings):  # noqa: F811
    """Everything Benchtop keeps in Redis, on the private server."""
    settings.REDIS_URL = private_redis.url
    settings.CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": private_redis.url,
                                   "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1}}}
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {
        "hosts": [{"address": private_redis.url, **settings.CHANNEL_LAYER_CONNECTION}]}}}
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.result_backend)
    app.conf.broker_url, app.conf.task_always_eager = private_redis.url, False
    _reset_broker_connections()
    yield private_redis
    app.conf.broker_url, app.conf.task_always_eager, app.conf.result_backend = saved
    _reset_broker_connections()


def queued_jobs(redis) -> int:
    """How many messages wait in the broker's ``default`` queue."""
    return int(redis.command("LLEN", "default").strip().lstrip(b":"))


def test_reads_writes_and_logins_keep_working_while_redis_is_down(on_private_redis, client_as, make_user, caplog):
    on_private_redis.stop()
    member = client_as("member")
    device = DeviceFactory()
    caplog.set_level(logging.WARNING)

    assert member.get("/api/scheduler/devices/").status_code == 200
    started = time.monotonic()
    booked = member.post("/api/scheduler/bookings/", {"device": device.pk, "start": at(1, 10).isoformat(),
                                                       "end": at(1, 12).isoformat()}, format="json")
    assert booked.status_code == 201, booked.data
    assert time.monotonic() - started < 2
    assert Event.objects.filter(topic=f"device:{device.pk}").exists()  # stored for the sockets' backfill
    assert OutboxJob.objects.filter(task="scheduler.tasks.notify_booking").count() == 1
    assert "Redis is unreachable" in caplog.text

    user = make_user("member", password="Correct-Horse-42!")
    login = client_as(None).post("/api/auth/login/", {"username": user.username, "password": "Correct-Horse-42!"},
                                 format="json")
    assert login.status_code == 200, login.data


def test_throttles_fall_back_to_a_limit_per_process(on_private_redis, client_as, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "3/minute"})
    on_private_redis.stop()
    member = client_as("member")
    answers = [member.get("/api/scheduler/devices/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_jobs_kept_during_the_outage_are_queued_when_redis_returns(on_private_redis):
    from core.tasks import prune_events

    on_private_redis.stop()
    prune_events.delay()
    assert OutboxJob.objects.count() == 1

    assert outbox.sweep() == 0  # still down: the job stays, its attempt counted
    job = OutboxJob.objects.get()
    assert job.attempts == 1 and "Error" in job.last_error

    on_private_redis.start()
    assert outbox.sweep() == 1
    assert OutboxJob.objects.count() == 0
    assert queued_jobs(on_private_redis) == 1


def test_health_answers_within_a_second_naming_what_is_broken(on_private_redis, client, settings):
    settings.MQTT_URL = ""
    assert client.get("/health").status_code == 200
    on_private_redis.stop()
    started = time.monotonic()
    response = client.get("/health")
    assert time.monotonic() - started < 1.0
    assert response.status_code == 503
    body = response.json()
    assert set(body["broken"]) == {"cache", "channel_layer", "broker"}
    assert body["checks"]["database"]["status"] == "ok"


def test_health_gives_up_on_a_dependency_that_does_not_answer(client, settings):
    """A host that swallows packets (not refusing them) still gets an answer within a second."""
    import socket

    with socket.socket() as silent:  # listens, never accepts: the MQTT CONNACK never comes
        silent.bind(("127.0.0.1", 0))
        silent.listen(0)
        settings.MQTT_URL = f"mqtt://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        response = client.get("/health")
        assert time.monotonic() - started < 1.0
    assert response.json()["broken"] == ["mqtt"]
