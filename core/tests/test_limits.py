"""Values the database could store but nobody means: refused by the services, so every door refuses them."""
from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import RuleViolation
from core.validation import TEXT_MAX_CHARS, check_planned, whole_id

pytestmark = pytest.mark.django_db


def test_a_booking_or_maintenance_far_in_the_future_or_past_is_refused(client_as, settings):
    from scheduler.tests.factories import DeviceFactory

    settings.PLANNING_HORIZON_DAYS = 365
    device = DeviceFactory()
    operator = client_as("operator")
    far = timezone.now().replace(year=9999)
    answer = operator.post("/api/scheduler/bookings/", {"device": device.pk, "start": far.isoformat(),
                                                        "end": (far + timedelta(hours=1)).isoformat()}, format="json")
    assert answer.status_code == 400 and "start" in answer.json()["fields"]
    old = timezone.now().replace(year=1)
    answer = operator.post(f"/api/scheduler/devices/{device.pk}/maintenance/", {
        "start": old.isoformat(), "end": timezone.now().isoformat(), "reason": "since forever"}, format="json")
    assert answer.status_code == 400 and "start" in answer.json()["fields"]


def test_a_series_starting_in_year_one_is_refused_by_the_service_itself(make_user):
    from scheduler.services.series import create_series
    from scheduler.tests.factories import DeviceFactory

    member, device = make_user("member"), DeviceFactory()
    first = timezone.now().replace(year=1)
    with pytest.raises(RuleViolation) as refused:
        create_series(member, device.pk, first, timezone.now() + timedelta(days=1), "FREQ=WEEKLY;COUNT=2")
    assert "start" in refused.value.fields


def test_negative_numbers_are_refused_through_the_api_and_the_admin(client_as, client, make_user):
    from inventory.tests.factories import AssetFactory
    from scheduler.tests.factories import DeviceFactory

    operator = client_as("operator")
    device = DeviceFactory()
    answer = operator.patch(f"/api/scheduler/devices/{device.pk}/", {"max_hours_per_day": -3}, format="json")
    assert answer.status_code == 400 and "max_hours_per_day" in answer.json()["fields"]
    asset = AssetFactory()
    answer = operator.patch(f"/api/inventory/assets/{asset.pk}/", {"purchase_cost": "-10.00"}, format="json")
    assert answer.status_code == 400 and "purchase_cost" in answer.json()["fields"]

    from scheduler.services.devices import update_device

    with pytest.raises(RuleViolation):
        update_device(make_user("operator"), device.pk, max_hours_per_day=-1)


def test_megabyte_texts_and_custom_fields_are_refused(client_as):
    from inventory.tests.factories import AssetFactory, LocationFactory

    operator = client_as("operator")
    asset = AssetFactory()
    huge = "x" * (TEXT_MAX_CHARS + 1)
    answer = operator.patch(f"/api/inventory/assets/{asset.pk}/", {"notes": huge}, format="json")
    assert answer.status_code == 400 and "notes" in answer.json()["fields"]
    answer = operator.patch(f"/api/inventory/assets/{asset.pk}/", {"custom_fields": {"blob": "y" * 1_000_000}},
                            format="json")
    assert answer.status_code == 400 and "custom_fields" in answer.json()["fields"]
    location = LocationFactory()
    answer = operator.patch(f"/api/inventory/locations/{location.pk}/", {"description": huge}, format="json")
    assert answer.status_code == 400


def test_planned_times_and_ids_helpers():
    with pytest.raises(RuleViolation):
        check_planned(timezone.now() + timedelta(days=10_000), "end")
    check_planned(timezone.now() + timedelta(days=30), "end")
    assert whole_id("42", "device") == 42 and whole_id(7.0, "device") == 7
    for odd in (1.5, "1.5", True, "abc", -1):
        with pytest.raises(RuleViolation):
            whole_id(odd, "device")
