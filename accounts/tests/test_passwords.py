"""Password rules, change and reset by emailed token."""
import re

import pytest
from django.core import mail

from accounts.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_a_weak_password_gets_every_broken_rule(api_client):
    response = api_client.post("/api/auth/register/", {
        "username": "bob", "email": "bob@example.org", "password": "abc",
    }, format="json")
    assert response.status_code == 400
    messages = " ".join(response.data["fields"]["password"])
    for rule in ["at least 12 characters", "upper-case", "digit", "symbol"]:
        assert rule in messages


def test_common_passwords_are_refused(api_client):
    response = api_client.post("/api/auth/register/", {
        "username": "bob", "email": "bob@example.org", "password": "Password1",
    }, format="json")
    assert response.status_code == 400
    assert any("common" in m for m in response.data["fields"]["password"])


def test_change_password_needs_the_old_one(client_as):
    client = client_as("member")
    wrong = client.post("/api/auth/password/change/", {"old_password": "nope", "new_password": "Another-Long-1!"},
                        format="json")
    assert wrong.status_code == 400
    right = client.post("/api/auth/password/change/",
                        {"old_password": DEFAULT_PASSWORD, "new_password": "Another-Long-1!"}, format="json")
    assert right.status_code == 200
    client.user.refresh_from_db()
    assert client.user.check_password("Another-Long-1!")


def test_reset_by_emailed_token_works_once(api_client, make_user):
    user = make_user()
    assert api_client.post("/api/auth/password/reset/", {"email": user.email}, format="json").status_code == 200
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    uid = re.search(r"uid: (\S+)", body).group(1)
    token = re.search(r"token: (\S+)", body).group(1)
    confirm = {"uid": uid, "token": token, "new_password": "Fresh-Start-2026!"}
    assert api_client.post("/api/auth/password/reset/confirm/", confirm, format="json").status_code == 200
    user.refresh_from_db()
    assert user.check_password("Fresh-Start-2026!")
    replay = api_client.post("/api/auth/password/reset/confirm/", confirm | {"new_password": "Other-Start-2026!"},
                             format="json")
    assert replay.status_code == 400


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(api_client):
    response = api_client.post("/api/auth/password/reset/", {"email": "ghost@example.org"}, format="json")
    assert response.status_code == 200
    assert mail.outbox == []
