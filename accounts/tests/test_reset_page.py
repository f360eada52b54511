"""The emailed reset link opens a page that sets the password through the API's reset service."""
import re
from urllib.parse import urlsplit

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW = "Fresh-Start-2026!"


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.fixture
def link(user, api_client, mailoutbox, settings):
    """The page path from the link in the email the API sends."""
    settings.SITE_URL = "https://bench.example.org"
    assert api_client.post("/api/auth/password/reset/", {"email": user.email}, format="json").status_code == 200
    url = re.search(r"Or open (\S+)", mailoutbox[0].body).group(1)
    assert url.startswith("https://bench.example.org/accounts/reset/")
    return urlsplit(url).path


def set_password(client, link, first=NEW, again=None):
    return client.post(link, {"new_password1": first, "new_password2": again or first})


def test_the_emailed_link_opens_a_form(client, link, user):
    response = client.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="new_password1"' in html and 'name="new_password2"' in html
    assert user.username in html


def test_a_new_password_is_set_and_the_page_sends_you_to_log_in(client, link, user):
    response = set_password(client, link)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEntry.objects.filter(action="user.reset_password", object_id=str(user.pk)).exists()
    login_page = client.get(response["Location"])
    assert "Your password is set" in login_page.content.decode()
    assert client.post("/accounts/login/", {"username": user.username, "password": NEW}).status_code == 302


def test_every_broken_rule_is_shown_and_nothing_changes(client, link, user):
    response = set_password(client, link, "abc")
    assert response.status_code == 200
    errors = response.context["form"].errors["new_password1"]
    for rule in ["at least 12 characters", "upper-case", "digit", "symbol"]:
        assert any(rule in message for message in errors)
    html = response.content.decode()
    assert "Add a digit." in html
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_two_different_passwords_are_refused(client, link, user):
    response = set_password(client, link, NEW, NEW + "x")
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == ["The two passwords differ."]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_a_link_works_once(client, link):
    assert set_password(client, link).status_code == 302
    again = client.get(link)
    assert again.status_code == 400
    assert "invalid, already used or expired" in again.content.decode()
    assert set_password(client, link, "Other-Start-2026!").status_code == 400


def test_a_link_used_through_the_api_is_dead_on_the_page(client, api_client, link, user):
    _, uid, token, _ = link.rsplit("/", 3)
    confirm = {"uid": uid, "token": token, "new_password": NEW}
    assert api_client.post("/api/auth/password/reset/confirm/", confirm, format="json").status_code == 200
    assert client.get(link).status_code == 400


@pytest.mark.parametrize("path", ["/accounts/reset/MQ/not-a-token/", "/accounts/reset/%%%/x-y/",
                                  "/accounts/reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def/"])
def test_a_broken_link_is_a_400_with_a_message(client, path, user):
    for response in (client.get(path), set_password(client, path)):
        assert response.status_code == 400
        assert "ask for a new one" in response.content.decode()
