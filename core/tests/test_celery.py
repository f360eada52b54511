"""Celery wiring: queues routed by task name, inline in embedded mode, a real worker in full mode."""
import pytest
from django.conf import settings

from config.celery import app
from core import events
from core.models import Event
from core.tasks import prune_events


def test_hardware_tasks_go_to_the_hardware_queue():
    router = app.amqp.router
    assert router.route({}, "equipment.tasks.send_command")["queue"].name == "hardware"
    assert router.route({}, "core.tasks.prune_events")["queue"].name == "default"


def test_beat_schedules_event_pruning():
    assert settings.CELERY_BEAT_SCHEDULE["prune-events"]["task"] == prune_events.name


@pytest.mark.full("redis", "postgres")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_sent_through_redis(settings):
    from celery.contrib.testing.worker import start_worker

    for n in range(5):
        events.publish("system", "tick", {"n": n})
    settings.EVENTS_KEEP = 2
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=["default"], shutdown_timeout=10):
            result = prune_events.apply_async(queue="default", ignore_result=False)
            assert result.get(timeout=20) == 3
    finally:
        app.conf.task_always_eager = True
    assert Event.objects.count() == 2
