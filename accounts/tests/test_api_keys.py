"""API keys: shown once, stored hashed, scoped to a role, revocable, last use recorded."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiKey, hash_key

pytestmark = pytest.mark.django_db


def issue(client, **body):
    return client.post("/api/auth/api-keys/", {"name": "printer-gateway", "role": "member"} | body, format="json")


def test_the_secret_is_shown_once_and_stored_hashed(client_as):
    client = client_as("member")
    response = issue(client)
    assert response.status_code == 201
    secret = response.data["key"]
    key = ApiKey.objects.get(pk=response.data["id"])
    assert key.key_hash == hash_key(secret)
    assert secret not in key.key_hash
    listed = client.get("/api/auth/api-keys/").data["results"][0]
    assert "key" not in listed and listed["prefix"] == key.prefix


def test_a_key_authenticates_and_records_last_use(client_as, api_client):
    secret = issue(client_as("member")).data["key"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    response = api_client.get("/api/auth/me/")
    assert response.status_code == 200
    assert ApiKey.objects.get().last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(client_as, api_client):
    secret = issue(client_as("member")).data["key"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    api_client.get("/api/auth/me/")
    first = ApiKey.objects.get().last_used_at
    with CaptureQueriesContext(connection) as again:
        assert api_client.get("/api/auth/me/").status_code == 200
    assert not [q for q in again.captured_queries if q["sql"].startswith("UPDATE")]
    assert ApiKey.objects.get().last_used_at == first
    ApiKey.objects.update(last_used_at=first - timedelta(minutes=2))
    api_client.get("/api/auth/me/")
    assert ApiKey.objects.get().last_used_at > first


def test_a_revoked_key_stops_working(client_as, api_client):
    owner = client_as("member")
    created = issue(owner).data
    assert owner.post(f"/api/auth/api-keys/{created['id']}/revoke/").status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {created['key']}")
    response = api_client.get("/api/auth/me/")
    assert response.status_code == 401
    assert "revoked" in response.data["detail"]


def test_a_key_caps_its_user_at_the_key_role(client_as, api_client):
    admin = client_as("admin")
    secret = issue(admin, role="viewer").data["key"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert api_client.get("/api/auth/me/").data["role"] == "viewer"
    assert api_client.get("/api/audit/").status_code == 403  # the admin could; the viewer key cannot


def test_nobody_issues_a_key_above_their_own_role(client_as):
    response = issue(client_as("member"), role="operator")
    assert response.status_code == 403
    assert ApiKey.objects.count() == 0


def test_only_admins_issue_keys_for_others(client_as, make_user):
    other = make_user()
    assert issue(client_as("operator"), user=other.pk).status_code == 403
    assert issue(client_as("admin"), user=other.pk).status_code == 201


def test_revoking_through_the_admin_uses_the_same_rule(client, make_user, client_as):
    created = issue(client_as("member")).data
    admin = make_user("admin", is_superuser=True)
    client.force_login(admin)
    response = client.post("/admin/accounts/apikey/", {"action": "revoke", "_selected_action": [created["id"]]})
    assert response.status_code == 302
    assert ApiKey.objects.get(pk=created["id"]).revoked_at is not None
    from core.models import AuditEntry

    assert AuditEntry.objects.filter(action="api_key.revoke", actor=admin).exists()


def test_a_wrong_key_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Api-Key bt_nothing_here")
    assert api_client.get("/api/auth/me/").status_code == 401


# --- Managing keys needs an interactive login (session or JWT), never an API key ----------------

def keyed_client(owner_client, role="member"):
    from rest_framework.test import APIClient

    made = issue(owner_client, role=role).data
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {made['key']}")
    return client, made


def test_a_key_cannot_issue_keys(client_as):
    client, _ = keyed_client(client_as("operator"), role="operator")
    response = issue(client, name="backdoor", role="operator")
    assert response.status_code == 403
    assert response.data["error"] == "forbidden"
    assert "log in with a password" in response.data["detail"].lower()
    assert not ApiKey.objects.filter(name="backdoor").exists()


def test_a_key_cannot_list_read_or_revoke_keys(client_as):
    owner = client_as("admin")
    client, made = keyed_client(owner, role="admin")
    assert client.get("/api/auth/api-keys/").status_code == 403
    assert client.get(f"/api/auth/api-keys/{made['id']}/").status_code == 403
    assert client.post(f"/api/auth/api-keys/{made['id']}/revoke/").status_code == 403
    assert ApiKey.objects.get(pk=made["id"]).revoked_at is None


def test_a_key_may_still_do_its_work(client_as):
    client, _ = keyed_client(client_as("member"))
    assert client.get("/api/auth/me/").status_code == 200


def test_a_jwt_login_manages_keys(api_client, make_user):
    from accounts.tests.factories import DEFAULT_PASSWORD

    user = make_user("member")
    pair = api_client.post("/api/auth/login/", {"username": user.username, "password": DEFAULT_PASSWORD},
                           format="json").data
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    created = issue(api_client)
    assert created.status_code == 201
    assert api_client.get("/api/auth/api-keys/").data["count"] == 1
    assert api_client.post(f"/api/auth/api-keys/{created.data['id']}/revoke/").status_code == 200


def test_the_service_refuses_an_actor_authenticated_by_a_key(client_as, rf):
    """The rule is in the service: a command, task or socket handler acting as a key is refused too."""
    from accounts import services
    from accounts.authentication import ApiKeyAuthentication
    from core.errors import PermissionDenied

    owner = client_as("admin")
    _, made = keyed_client(owner, role="admin")
    request = rf.get("/", HTTP_AUTHORIZATION=f"Api-Key {made['key']}")
    actor, _ = ApiKeyAuthentication().authenticate(request)
    with pytest.raises(PermissionDenied, match="API key cannot issue"):
        services.create_api_key(actor, name="minted", user=actor, role="viewer")
    with pytest.raises(PermissionDenied, match="API key cannot revoke"):
        services.revoke_api_key(actor, ApiKey.objects.get(pk=made["id"]))
    with pytest.raises(PermissionDenied, match="API key cannot list"):
        services.api_keys_visible_to(actor)
    assert ApiKey.objects.count() == 1


def test_a_key_cannot_change_the_accounts_email(client_as):
    client, _ = keyed_client(client_as("member"))
    response = client.patch("/api/auth/me/", {"email": "thief@example.org"}, format="json")
    assert response.status_code == 403
    from accounts.models import User

    assert not User.objects.filter(email="thief@example.org").exists()
