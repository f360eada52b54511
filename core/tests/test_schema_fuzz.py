"""Generated input against every operation of our own OpenAPI schema: never a 5xx, every answer in the
shape the schema documents (``response_schema_conformance``), and every request the schema calls valid
accepted (``positive_data_acceptance``: a 400 means the schema promised too much).

Operations on one row (``/assets/{id}/...``) are called on rows that exist: the path ids are replaced
by ids of real rows (made with the apps' factories where none exists yet), so their answers are
checked too, not only their 404s.

The schema comes from drf-spectacular, so every endpoint an app adds is fuzzed without touching this
file. ``SCHEMATHESIS_MAX_EXAMPLES`` sets the depth (default 5, which keeps the run short; raise it
for a deeper search). The examples are derived from the schema (``derandomize``), so a run fails or
passes the same way every time until the schema or the API changes.
"""
import json
import os
import re

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.openapi.checks import RejectedPositiveData

from config.wsgi import application

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application
# Text fields refuse NUL characters (PostgreSQL cannot store them); the schema has no way to say so.
schema.config.generation.update(allow_x00=False)

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))

# A valid request may still be refused for what no schema can say: it names a row that does not
# exist (or no longer does: an earlier example deleted it), a name already taken, a wrong password
# or a spent token, or it breaks a rule between two fields (OpenAPI 3.0 states each field alone).
# Each such refusal names its field; any other 400 to a schema-valid request is a schema that
# promises too much (a missing enum, bound, format or "not null") and fails the test.
REFUSALS_NO_SCHEMA_CAN_FORESEE = [
    # rows that do not exist, names in use
    re.compile(r'^Invalid pk ".*" - object does not exist\.$'),  # a body naming an unknown row
    re.compile(r"^Select a valid choice\. That choice is not one of the available choices\.$"),  # a filter
    re.compile(r"^Object with \w+=.* does not exist\.$", re.DOTALL),  # a row named by its name
    re.compile(r"^No \w+ with id -?\d+\.$"),
    re.compile(r"^Stocked (nowhere yet|in several places)\.$"),  # no location named: where the stock is
    re.compile(r"already exists\.$"),
    # rules between fields
    re.compile(r"^free_to must be after free_from\.$"),
    re.compile(r"^Give both free_from and free_to\.$"),
    re.compile(r"^Give either 'device' \(one\) or 'devices' \(a group\), not both\.$"),
    re.compile(r"^before start$"),
    re.compile(r"^The end must be after the start\.$"),
    re.compile(r"^Only for racks\.$"),  # rack units of a location that is not a rack
    re.compile(r"^needs (port|url)$"),  # what a machine's connection needs depends on its driver
    re.compile(r"^Use archive\.$"),  # a project is archived by its own action, not by its status
    re.compile(r"^After 'from'\.$"),
    re.compile(r"^'to' must be after 'from'\.$"),
    re.compile(r"^Ask for at most \d+ days at a time\.$"),
    re.compile(r"^After the start\.$"),  # a run's due time after its start, or after now
    re.compile(r"^not (an http\(s\) URL|host\[:port\]|an MQTT topic)$"),  # a PDU's address depends on its driver
    re.compile(r"^No rack\.$"),  # a rack position in a location that is not a rack
    re.compile(r"^Needs reference_id too\.$"),
    re.compile(r"^Too early\.$"),  # the next maintenance before the one recorded
    re.compile(r"^(In the past|Future)\.$"),  # a date before or after today: the schema cannot name today
    # a machine command's arguments: which it needs depends on the command, the limits on the machine
    re.compile(r"^(A number|Give a distance|G-code text|At most [\d.]+)\.$"),
    re.compile(r"^hotend or bed$"),
    re.compile(r"meeting has no project\.$"),  # convert an item without naming a project
    # A date-time's sane range (a setting): OpenAPI 3.0 bounds numbers, not dates.
    re.compile(r"^Give a date between \d+ and \d+\.$"),
    re.compile(r"^Must be within \d+ days of today\.$"),
    re.compile(r"^Use a UTC offset between -14:00 and \+14:00\.$"),
    re.compile(r"^-?[\d.]+–[\d.]+$"),  # a jog within the machine's travel
    # Django's URL check is stricter than the "uri" format (a one-letter top-level domain).
    re.compile(r"^Enter a valid URL\.$"),
]
CREDENTIAL_FIELDS = {"password", "old_password", "new_password", "refresh", "token", "uid"}


def messages_of(value):
    """Every message in a field's errors, however nested (a list item's fields)."""
    if isinstance(value, dict):
        for inner in value.values():
            yield from messages_of(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from messages_of(inner)
    else:
        yield str(value)


def refused_for_what_no_schema_says(response) -> bool:
    """Whether a 400 names only unknown rows, taken names, credentials and rules between fields."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    fields = body.get("fields") if isinstance(body, dict) else None
    if not fields:
        return False
    return all(field in CREDENTIAL_FIELDS
               or all(any(pattern.search(message) for pattern in REFUSALS_NO_SCHEMA_CAN_FORESEE)
                      for message in messages_of(messages))
               for field, messages in fields.items())


def sends_a_file(case) -> bool:
    """Whether the request carries a file: the schema says "bytes", never what they must hold (a CSV
    with the import's columns, an image), so a refusal of the bytes is no broken promise."""
    body = case.operation.definition.raw.get("requestBody") or {}
    components = schema.raw_schema["components"]["schemas"]
    for media, content in body.get("content", {}).items():
        body_schema = content.get("schema", {})
        if "$ref" in body_schema:
            body_schema = components[body_schema["$ref"].rsplit("/", 1)[-1]]
        if media.startswith(("text/", "multipart/")) or "binary" in json.dumps(body_schema):
            return True
    return False


# Operations whose schema still promises more than the API takes (a 400 to a schema-valid request), or
# whose answer still strays from its schema, each with what is wrong; the rest of the checks still run
# on them. Fixing one means deleting its line here.
KNOWN_OPEN = {
    "POST /api/projects/projects/{project_pk}/tasks/{id}/links/": "one of booking and asset: a rule between fields",
    "POST /api/projects/projects/{project_pk}/tasks/bulk-update/": "at least one change: a rule between fields",
    "POST /api/rooms/devices/{id}/dim/": "only dimmable lights dim: depends on the device",
    "POST /api/scheduler/pdus/{id}/outlets/": "a device id that names no row answers 'unknown device'",
    "GET /api/scheduler/recommendations/": "a device type that names no row answers 'unknown device type'",
    "POST /api/scheduler/topology/book/": "node ids unique in the list: uniqueItems compares whole items, not one key",
    "POST /api/equipment/machines/": "connection keys depend on the driver; the schema allows any key",
    "PUT /api/equipment/machines/{id}/": "connection keys depend on the driver; the schema allows any key",
    "PATCH /api/equipment/machines/{id}/": "connection keys depend on the driver; the schema allows any key",
    "POST /api/inventory/assets/bulk-update/": "at least one change: a rule between fields",
    "POST /api/scheduler/links/": "a port the device's type does not list answers 'unknown port'",
}


def valid_requests_are_accepted(ctx, response, case):
    """``positive_data_acceptance``, less the refusals of valid requests that no schema can foresee."""
    try:
        return schemathesis.checks.positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 400 and (refused_for_what_no_schema_says(response) or sends_a_file(case)
                                            or case.operation.label in KNOWN_OPEN):
            return None
        raise


def answers_in_its_schema(ctx, response, case):
    """``response_schema_conformance``, except on the operations listed above as answering off it."""
    if case.operation.label in KNOWN_OPEN and "answered" in KNOWN_OPEN[case.operation.label]:
        return None
    return schemathesis.checks.response_schema_conformance(ctx, response, case)


def no_server_error(ctx, response, case):
    """``not_a_server_error``, except 502: a device behind the API (a PDU, a printer) did not answer, and
    the API says so in its error shape rather than failing itself."""
    if response.status_code == 502 and b'"error"' in response.content:
        return None
    return schemathesis.checks.not_a_server_error(ctx, response, case)


CHECKS = [no_server_error, answers_in_its_schema, valid_requests_are_accepted]

# Path parameters named after a row, where the name alone does not say which model (the app's
# model of that name is tried first, then any app's).
PARAMETER_MODELS = {"window": "scheduler.MaintenanceWindow", "group": "scheduler.BookingGroup",
                    "user": "accounts.User"}


def model_of(view):
    """The model a view's rows are, from its queryset or its serializer."""
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    meta = getattr(getattr(view, "serializer_class", None), "Meta", None)
    return getattr(meta, "model", None)


def model_named(name: str, app_label: str | None):
    from django.apps import apps

    stem = re.sub(r"_(pk|id)$", "", name)
    if stem in PARAMETER_MODELS:
        try:
            return apps.get_model(PARAMETER_MODELS[stem])
        except LookupError:
            return None
    wanted = stem.replace("_", "")
    models = sorted(apps.get_models(), key=lambda model: model._meta.app_label != app_label)
    return next((model for model in models if model._meta.model_name == wanted), None)


def a_row(model, **within):
    """The newest row of ``model`` (inside ``within``), or a new one made by its factory; None if neither."""
    from core.testing import factory_for

    row = model._default_manager.filter(**within).order_by("-pk").first()
    if row is not None:
        return row
    try:
        return factory_for(model)(**within)
    except Exception:  # noqa: BLE001 - no factory, or one that cannot take these parents: keep the fuzzed id
        return None


def with_real_ids(case):
    """Replace the ids in ``case``'s path by ids of existing rows of the right models."""
    from django.urls import Resolver404, resolve

    if not case.path_parameters:
        return
    try:
        match = resolve(re.sub(r"{\w+}", "1", case.operation.path))
    except Resolver404:
        return
    view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    own = model_of(view)
    app_label = own._meta.app_label if own is not None else None
    parents = {}
    for name in case.path_parameters:
        if name in ("id", "pk"):
            continue
        model = model_named(name, app_label)
        row = a_row(model) if model is not None else None
        if row is not None:
            case.path_parameters[name] = row.pk
            parents[name] = row
    for name in ("id", "pk"):
        if name in case.path_parameters and own is not None:
            # Under a parent (tasks/{id} of projects/{project_pk}), take a row of that parent.
            within = {}
            for field in own._meta.fields:
                for parent in parents.values():
                    if field.is_relation and field.related_model is type(parent):
                        within[field.name] = parent
            row = a_row(own, **within)
            if row is not None:
                case.path_parameters[name] = row.pk


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
@settings(max_examples=MAX_EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate], derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_every_operation_answers_in_its_schema_and_accepts_valid_input(case, a_row_of_each_kind):
    if case.media_type and case.media_type.startswith("multipart/") and not isinstance(case.body, dict):
        return  # the in-process WSGI transport cannot encode such a body; uploads have their own tests
    with_real_ids(case)
    case.call_and_validate(headers=a_row_of_each_kind, checks=CHECKS)
