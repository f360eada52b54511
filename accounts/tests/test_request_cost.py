"""Authenticating a request and checking its role cost one query, and a role change counts at once."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services
from accounts.models import ApiKey

pytestmark = pytest.mark.django_db


def bearer(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return api_client


def queries_of(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("role", ["viewer", "member", "operator", "admin"])
def test_a_token_request_reads_user_and_role_in_one_query(make_user, api_client, role):
    user = make_user(role)
    response, sql = queries_of(bearer(api_client, user), "/api/auth/me/")
    assert response.status_code == 200
    assert response.data["role"] == role
    assert len(sql) == 1, sql


def test_a_role_change_counts_on_the_next_request(make_user, api_client):
    admin, user = make_user("admin"), make_user("viewer")
    client = bearer(api_client, user)
    assert client.get("/api/audit/").status_code == 403
    services.set_role(admin, user, "operator")
    assert client.get("/api/audit/").status_code == 200
    user.groups.set([])  # no role at all: the API refuses what needs one
    assert client.get("/api/auth/me/").data["role"] is None
    user.groups.add(Group.objects.get(name="member"))
    assert client.get("/api/auth/me/").data["role"] == "member"


def test_a_disabled_account_token_is_refused(make_user, api_client):
    user = make_user("member")
    client = bearer(api_client, user)
    user.is_active = False
    user.save()
    assert client.get("/api/auth/me/").status_code == 401


def test_an_api_key_request_is_one_query_and_last_use_is_written_once_a_minute(client_as, api_client):
    owner = client_as("operator")
    secret = owner.post("/api/auth/api-keys/", {"name": "agent", "role": "member"}, format="json").data["key"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    first, sql_first = queries_of(api_client, "/api/auth/me/")
    assert first.status_code == 200 and first.data["role"] == "member"  # capped at the key's role
    assert len(sql_first) == 2 and sql_first[1].startswith("UPDATE")  # first use is recorded
    used = ApiKey.objects.get().last_used_at
    again, sql_again = queries_of(api_client, "/api/auth/me/")
    assert again.status_code == 200 and len(sql_again) == 1, sql_again
    assert ApiKey.objects.get().last_used_at == used
    ApiKey.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    _, sql_later = queries_of(api_client, "/api/auth/me/")
    assert len(sql_later) == 2 and ApiKey.objects.get().last_used_at > used


def test_a_token_of_a_deleted_account_is_refused(make_user, api_client):
    user = make_user("member")
    client = bearer(api_client, user)
    user.delete()
    response = client.get("/api/auth/me/")
    assert response.status_code == 401


def test_the_profile_answer_keeps_its_fields(make_user, api_client):
    user = make_user("operator", display_name="Ada", notification_preferences={"email": True})
    body = bearer(api_client, user).get("/api/auth/me/").json()
    assert list(body) == ["id", "username", "email", "display_name", "time_zone", "discord_id",
                          "notification_preferences", "role", "date_joined", "last_login"]
    assert body["notification_preferences"] == {"email": True} and body["role"] == "operator"
    assert body["display_name"] == "Ada" and body["date_joined"].endswith("Z")


def test_the_profile_answer_is_what_its_serializer_writes(make_user, api_client):
    from accounts.api.serializers import UserSerializer
    from core.api.renderers import OrjsonRenderer

    user = make_user("member", display_name="Grace", time_zone="Europe/Berlin", discord_id="g#1")
    user.last_login = timezone.now()
    user.save()
    body = bearer(api_client, user).get("/api/auth/me/", HTTP_ACCEPT="application/json").content
    user.refresh_from_db()
    assert body == OrjsonRenderer().render(UserSerializer(user).data)


def test_a_known_token_is_not_checked_again_but_expires_and_its_account_is_read_each_time(make_user, api_client):
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts import authentication

    user = make_user("member")
    token = RefreshToken.for_user(user).access_token
    token_text = str(token)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_text}")
    assert api_client.get("/api/auth/me/").status_code == 200
    assert token_text.encode() in authentication._verified_tokens
    assert api_client.get("/api/auth/me/").status_code == 200  # answered from the remembered check

    # A token remembered while valid is refused once its time is up.
    token.set_exp(lifetime=-timedelta(seconds=1))
    expired = str(token)
    authentication._verified_tokens[expired.encode()] = AccessToken(expired.encode(), verify=False)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {expired}")
    assert api_client.get("/api/auth/me/").status_code == 401
    assert expired.encode() not in authentication._verified_tokens

    # The account is read on every request: a disabled one is refused with a remembered token too.
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_text}")
    assert api_client.get("/api/auth/me/").status_code == 200
    user.is_active = False
    user.save()
    assert api_client.get("/api/auth/me/").status_code == 401
