"""One error shape across the API, and no 500 for bad input."""
import pytest

pytestmark = pytest.mark.django_db


def test_validation_errors_use_the_shape(api_client):
    response = api_client.post("/api/auth/register/", {"username": "a b"}, format="json")
    assert response.status_code == 400
    assert response.data["error"] == "invalid"
    assert set(response.data["fields"]) >= {"username", "email", "password"}
    assert response.data["detail"]


def test_authentication_errors_use_the_shape(api_client):
    response = api_client.get("/api/auth/me/")
    assert response.status_code == 401
    assert response.data == {"error": "not_authenticated",
                             "detail": "Authentication credentials were not provided.", "fields": {}}


def test_malformed_json_is_a_400(client_as):
    client = client_as("member")
    response = client.generic("PATCH", "/api/auth/me/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.data["error"] == "parse_error"


def test_unknown_pages_are_404_in_the_shape(client_as):
    response = client_as("operator").get("/api/audit/999999/")
    assert response.status_code == 404
    assert response.data["error"] == "not_found"


def test_an_impossible_utc_offset_is_a_400_not_a_database_error(client_as):
    response = client_as("operator").get("/api/audit/", {"since": "2026-06-25T05:40:21+21:37"})
    assert response.status_code == 400
    assert "UTC offset" in str(response.data["fields"]["since"])


def test_an_id_too_large_for_the_database_is_a_400(client_as):
    response = client_as("admin").post("/api/auth/api-keys/", {"name": "k", "role": "viewer",
                                                                "user": 10**30}, format="json")
    assert response.status_code == 400


def test_a_filter_on_an_ip_field_with_no_address_is_a_400(client_as):
    response = client_as("operator").get("/api/audit/", {"ip": "not-an-address"})
    assert response.status_code == 400
    assert "ip" in response.data["fields"]
