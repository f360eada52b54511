"""Generated input against every operation of our own OpenAPI schema: never a 5xx, and every
answer in the shape the schema documents (``response_schema_conformance``).

The schema comes from drf-spectacular, so every endpoint an app adds is fuzzed
without touching this file. ``SCHEMATHESIS_MAX_EXAMPLES`` sets the depth (default 15).
"""
import os

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle

from config.wsgi import application

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15"))


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly fires request_finished, which would close the test's
    database connection (and its transaction); Django's own test client disconnects it too."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_headers(make_user, monkeypatch, keep_test_connection):
    """An admin's token, and no API rate limit: the fuzzer sends far more than 100 requests a minute."""
    from rest_framework_simplejwt.tokens import RefreshToken

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": None, "anon": None})
    admin = make_user("admin", is_superuser=True)
    return {"Authorization": f"Bearer {RefreshToken.for_user(admin).access_token}"}


@pytest.fixture
def a_row_of_each_kind(admin_headers):
    """Rows whose optional parts are empty (no manufacturer, no location, no device type), an open
    checkout past its return date, stock, a maintenance window and a booking: lists then answer
    with real rows, so a response that strays from its schema shows."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.tests.factories import UserFactory
    from inventory import services as inventory
    from inventory.tests.factories import AssetFactory, LocationFactory, MaterialFactory
    from scheduler.tests.factories import BookingFactory, DeviceFactory, MaintenanceWindowFactory

    operator = UserFactory(role="operator")
    asset = AssetFactory(manufacturer=None, location=None)
    inventory.check_out_asset(operator, asset, to_user=operator)
    asset.checkouts.update(expected_return=timezone.localdate() - timedelta(days=3))
    material = MaterialFactory(reorder_level=100)
    inventory.receive_stock(operator, material, "5", location=LocationFactory())
    device = DeviceFactory()
    MaintenanceWindowFactory(device=device, created_by=operator)
    BookingFactory(device=device, user=operator)
    return admin_headers


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_operation_answers_with_a_server_error(case, a_row_of_each_kind):
    if case.media_type and case.media_type.startswith("multipart/") and not isinstance(case.body, dict):
        return  # the in-process WSGI transport cannot encode such a body; uploads have their own tests
    case.call_and_validate(headers=a_row_of_each_kind, checks=[schemathesis.checks.not_a_server_error,
                                                          schemathesis.checks.response_schema_conformance])
