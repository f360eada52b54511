"""API keys: shown once, stored hashed, scoped to a role, revocable, last use recorded."""
import pytest

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
