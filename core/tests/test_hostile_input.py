"""Hostile bodies get a 4xx that says what is wrong, on every operation: never a 500."""
import re

import pytest
from drf_spectacular.generators import SchemaGenerator

DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def operations_with_a_body():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in ("post", "put", "patch") and "requestBody" in operation:
                yield method, path


@pytest.mark.django_db
@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
def test_a_body_nested_a_thousand_deep_is_a_400_on_every_operation(body, client_as, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": None, "anon": None})
    admin = client_as("admin")
    answers = {}
    for method, path in operations_with_a_body():
        url = re.sub(r"\{[^}]+\}", "1", path)
        answers[f"{method} {path}"] = getattr(admin, method)(url, body, content_type="application/json").status_code
    assert len(answers) > 20
    server_errors = {op: code for op, code in answers.items() if code >= 500}
    assert not server_errors
    # An operation on an id that does not exist may say 404 first; every other one reads the body.
    assert {op: code for op, code in answers.items() if "{" not in op and code != 400} == {}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/auth/login/", "/api/auth/register/", "/api/auth/refresh/",
                                  "/api/auth/password/reset/"])
def test_anonymous_doors_refuse_a_deep_body_with_a_400(path, api_client):
    response = api_client.post(path, DEEP_ARRAY, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "too_deep"


@pytest.fixture
def stocked_material(db):
    from accounts.tests.factories import UserFactory
    from inventory import services
    from inventory.tests.factories import LocationFactory, MaterialFactory

    material, shelf, bench = MaterialFactory(), LocationFactory(), LocationFactory()
    operator = UserFactory(role="operator")
    services.receive_stock(operator, material, "10", location=shelf)
    return material, shelf, bench


def stock_operations(shelf, bench):
    """Each stock operation with the body it needs around its number field."""
    return [
        ("receive", "quantity", {"location": shelf.pk}),
        ("consume", "quantity", {"location": shelf.pk}),
        ("allocate", "quantity", {"location": shelf.pk}),
        ("release", "quantity", {"location": shelf.pk}),
        ("adjust", "change", {"location": shelf.pk, "reason": "recount"}),
        ("stocktake", "counted", {"location": shelf.pk}),
        ("transfer", "quantity", {"from_location": shelf.pk, "to_location": bench.pk}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["1e999", "-1e999", "1E+1000", "NaN", "1e-999"])
@pytest.mark.parametrize("as_json_number", [False, True], ids=["string", "number"])
def test_absurd_quantities_are_a_400_naming_the_field_on_every_stock_operation(
        number, as_json_number, client_as, stocked_material):
    import json

    material, shelf, bench = stocked_material
    operator = client_as("operator")
    for action, field, rest in stock_operations(shelf, bench):
        body = json.dumps({**rest, field: "__N__"}).replace('"__N__"', number if as_json_number else f'"{number}"')
        if as_json_number and number in ("NaN", "1e-999"):
            continue  # not JSON, or JSON's plain 0.0
        response = operator.post(f"/api/inventory/materials/{material.pk}/{action}/", body,
                                 content_type="application/json")
        assert response.status_code == 400, (action, response.content)
        assert field in response.json()["fields"], (action, response.json())


@pytest.mark.django_db
def test_receiving_without_a_location_is_a_400_naming_it(client_as, stocked_material):
    material, _, _ = stocked_material
    response = client_as("operator").post(f"/api/inventory/materials/{material.pk}/receive/", {"quantity": "2"},
                                          format="json")
    assert response.status_code == 400
    assert "location" in response.json()["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("location", [1.5, "1.5", True, "one"])
def test_a_fractional_or_odd_id_is_refused_not_rounded(location, client_as, stocked_material):
    from inventory.models import StockItem

    material, shelf, _ = stocked_material
    before = StockItem.objects.count()
    body = {"quantity": "2", "location": location if location != 1.5 else shelf.pk + 0.5}
    response = client_as("operator").post(f"/api/inventory/materials/{material.pk}/receive/", body, format="json")
    assert response.status_code == 400, response.content
    assert "location" in response.json()["fields"]
    assert StockItem.objects.count() == before
