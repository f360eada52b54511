"""The user and API-key lists: the lean path answers what the serializer would, in a fixed number of queries."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.api.views import ApiKeyViewSet, UserViewSet
from accounts.models import ApiKey
from core.testing import count_queries, lean_list_unchanged

pytestmark = pytest.mark.django_db


def test_the_user_list_keeps_its_answer(client_as, make_user):
    client = client_as("operator")
    make_user("admin", username="boss")
    make_user("viewer", username="gone", is_active=False)
    make_user("member", username="root", is_superuser=True)
    both = make_user("viewer", username="both")
    both.groups.add(Group.objects.get(name="operator"), Group.objects.create(name="Lab A"))
    make_user("member", username="norole").groups.clear()
    body = lean_list_unchanged(client, "/api/auth/users/", UserViewSet)
    assert b'"username":"both"' in body and b'"role":"operator"' in body
    lean_list_unchanged(client, "/api/auth/users/?is_active=false&ordering=-username", UserViewSet)
    lean_list_unchanged(client, "/api/auth/users/?search=bo&page_size=1", UserViewSet)


def test_the_user_list_runs_a_fixed_number_of_queries(client_as, make_user):
    client = client_as("operator")
    one, _ = count_queries(client, "/api/auth/users/?page_size=1")
    for n in range(5):
        make_user("member", username=f"many-{n}")
    many, response = count_queries(client, "/api/auth/users/?page_size=50")
    assert one == many and len(response.data["results"]) == 6


def test_the_api_key_list_keeps_its_answer(client_as):
    client = client_as("admin")
    for name in ("live", "revoked", "expired", "later"):
        assert client.post("/api/auth/api-keys/", {"name": name, "role": "member"}, format="json").status_code == 201
    now = timezone.now()
    ApiKey.objects.filter(name="revoked").update(revoked_at=now)
    ApiKey.objects.filter(name="expired").update(expires_at=now - timedelta(days=1))
    ApiKey.objects.filter(name="later").update(expires_at=now + timedelta(days=1), last_used_at=now)
    body = lean_list_unchanged(client, "/api/auth/api-keys/", ApiKeyViewSet)
    assert body.count(b'"is_active":true') == 2 and body.count(b'"is_active":false') == 2
    one, _ = count_queries(client, "/api/auth/api-keys/?page_size=1")
    many, _ = count_queries(client, "/api/auth/api-keys/?page_size=50")
    assert one == many
