"""Triggers: a bus event that matches a filter starts a workflow, at most once per cooldown."""
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core import events
from workflows import services
from workflows.models import Run, Trigger

from .factories import make_workflow, operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_stock(client_as):
    """A trigger made through the API: stock of material 7 below its reorder level starts a workflow."""
    workflow = make_workflow()
    response = client_as("operator").post("/api/workflows/triggers/", {
        "workflow": workflow.pk, "name": "gloves low", "topic": "inventory", "event_type": "material.low_stock",
        "fields": {"material": 7}, "cooldown_seconds": 600}, format="json")
    assert response.status_code == 201, response.data
    return Trigger.objects.get(pk=response.data["id"])


def publish(capture, topic, type_, data):
    with capture(execute=True):
        with transaction.atomic():
            events.publish(topic, type_, data)


def test_a_matching_event_starts_the_workflow_once_per_cooldown(low_stock, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks, "inventory", "material.low_stock", {"material": 7, "available": 2})
    run = Run.objects.get()
    assert (run.workflow_id, run.origin) == (low_stock.workflow_id, Run.Origin.TRIGGER)
    assert "gloves low" in run.origin_detail
    publish(django_capture_on_commit_callbacks, "inventory", "material.low_stock", {"material": 7, "available": 1})
    assert Run.objects.count() == 1  # still cooling down
    Trigger.objects.filter(pk=low_stock.pk).update(last_fired_at=timezone.now() - timedelta(seconds=601))
    publish(django_capture_on_commit_callbacks, "inventory", "material.low_stock", {"material": 7, "available": 0})
    assert Run.objects.count() == 2


@pytest.mark.parametrize(("topic", "type_", "data"), [
    ("inventory", "material.low_stock", {"material": 8}),
    ("inventory", "material.restocked", {"material": 7}),
    ("scheduler", "material.low_stock", {"material": 7}),
])
def test_events_that_do_not_match_start_nothing(low_stock, django_capture_on_commit_callbacks, topic, type_, data):
    publish(django_capture_on_commit_callbacks, topic, type_, data)
    assert not Run.objects.exists()


def test_a_rolled_back_event_starts_nothing(low_stock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                events.publish("inventory", "material.low_stock", {"material": 7})
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert not Run.objects.exists()


def test_a_disabled_trigger_or_workflow_does_not_fire(low_stock, django_capture_on_commit_callbacks):
    services.update_workflow(operator(), low_stock.workflow, enabled=False)
    publish(django_capture_on_commit_callbacks, "inventory", "material.low_stock", {"material": 7})
    assert not Run.objects.exists()


def test_real_low_stock_from_the_inventory_service_fires_the_trigger(django_capture_on_commit_callbacks):
    from inventory.models import Material
    from inventory.tests.factories import MaterialFactory

    material = MaterialFactory(reorder_level=10)
    workflow = make_workflow()
    services.create_trigger(operator(), workflow, name="low", topic="inventory", event_type="material.low_stock",
                            fields={"material": material.pk})
    with django_capture_on_commit_callbacks(execute=True):
        _consume_below_level(material)
    assert Run.objects.filter(workflow=workflow, origin=Run.Origin.TRIGGER).count() == 1
    assert Material.objects.get(pk=material.pk).low_stock_since is not None


def _consume_below_level(material):
    from inventory import services as inventory
    from inventory.tests.factories import LocationFactory

    actor = operator()
    location = LocationFactory()
    inventory.receive_stock(actor, material, 12, location=location)
    inventory.consume_stock(actor, material, 5, location=location)


@pytest.mark.parametrize("body", [{"topic": "not a topic!"}, {"topic": "run:3"}, {"fields": {"a": {"b": 1}}},
                                  {"cooldown_seconds": -1}])
def test_bad_triggers_are_refused(client_as, body):
    workflow = make_workflow()
    payload = {"workflow": workflow.pk, "name": "t", "topic": "inventory", **body}
    response = client_as("operator").post("/api/workflows/triggers/", payload, format="json")
    assert response.status_code == 400, response.data
    assert not Trigger.objects.exists()


def test_a_cron_schedule_is_a_django_celery_beat_task_that_starts_runs(client_as):
    from django_celery_beat.models import PeriodicTask

    from workflows.tasks import start_scheduled_run

    workflow = make_workflow()
    client = client_as("operator")
    assert client.post(f"/api/workflows/workflows/{workflow.pk}/schedule/", {"cron": "0 6 * * 1"}).status_code == 200
    task = PeriodicTask.objects.get(name=f"workflow-{workflow.pk}")
    assert task.crontab.hour == "6" and task.task == "workflows.tasks.start_scheduled_run"
    run_id = start_scheduled_run.delay(workflow.pk).get()
    assert Run.objects.get(pk=run_id).origin == Run.Origin.SCHEDULE
    bad = client.post(f"/api/workflows/workflows/{workflow.pk}/schedule/", {"cron": "61 * * * *"})
    assert bad.status_code == 400
    assert client.post(f"/api/workflows/workflows/{workflow.pk}/schedule/", {"cron": ""}).status_code == 200
    assert not PeriodicTask.objects.filter(name=f"workflow-{workflow.pk}").exists()
