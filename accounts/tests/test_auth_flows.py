"""Registration, JWT login, rotation, logout and the profile endpoint."""
import pytest
from django.contrib.auth.hashers import identify_hasher

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

STRONG = "Plenty-Long-Secret-7"


def register(api_client, **overrides):
    body = {"username": "ada", "email": "ada@example.org", "password": STRONG} | overrides
    return api_client.post("/api/auth/register/", body, format="json")


def login(api_client, username, password=DEFAULT_PASSWORD):
    return api_client.post("/api/auth/login/", {"username": username, "password": password}, format="json")


def test_registration_creates_a_member_with_an_argon2_hash(api_client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    response = register(api_client)
    assert response.status_code == 201, response.data
    assert response.data["role"] == "member"
    user = User.objects.get(username="ada")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_registration_can_be_closed(api_client, settings):
    settings.REGISTRATION_OPEN = False
    response = register(api_client)
    assert response.status_code == 403
    assert "closed" in response.data["detail"]
    assert not User.objects.filter(username="ada").exists()


def test_duplicate_email_is_a_400_naming_the_field(api_client, make_user):
    make_user(email="ada@example.org")
    response = register(api_client)
    assert response.status_code == 400
    assert "email" in response.data["fields"]


def test_login_returns_a_pair_that_opens_me(api_client, make_user):
    user = make_user("operator")
    response = login(api_client, user.username)
    assert response.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.data['access']}")
    me = api_client.get("/api/auth/me/")
    assert me.status_code == 200
    assert me.data["username"] == user.username
    assert me.data["role"] == "operator"


def test_login_by_email_works_too(api_client, make_user):
    user = make_user()
    assert login(api_client, user.email).status_code == 200


def test_wrong_password_is_401_with_a_message(api_client, make_user):
    user = make_user()
    response = login(api_client, user.username, "Not-the-password-1")
    assert response.status_code == 401
    assert response.data == {"error": "bad_credentials", "detail": "Wrong username or password.", "fields": {}}


def test_refresh_rotates_and_the_old_refresh_token_is_dead(api_client, make_user):
    user = make_user()
    first = login(api_client, user.username).data
    rotated = api_client.post("/api/auth/refresh/", {"refresh": first["refresh"]}, format="json")
    assert rotated.status_code == 200
    assert rotated.data["refresh"] != first["refresh"]
    again = api_client.post("/api/auth/refresh/", {"refresh": first["refresh"]}, format="json")
    assert again.status_code == 401
    assert again.data["error"] == "token_not_valid"


def test_logout_blacklists_the_refresh_token(api_client, make_user):
    user = make_user()
    pair = login(api_client, user.username).data
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert api_client.post("/api/auth/logout/", {"refresh": pair["refresh"]}, format="json").status_code == 200
    api_client.credentials()
    response = api_client.post("/api/auth/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 401
    from core.models import AuditEntry

    assert list(AuditEntry.objects.filter(action="user.logout").values_list("actor", "object_id")) == \
        [(user.pk, str(user.pk))]


def test_logout_refuses_someone_elses_refresh_token(api_client, make_user):
    mine, theirs = make_user(), make_user()
    their_refresh = login(api_client, theirs.username).data["refresh"]
    access = login(api_client, mine.username).data["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    response = api_client.post("/api/auth/logout/", {"refresh": their_refresh}, format="json")
    assert response.status_code == 400
    api_client.credentials()
    assert api_client.post("/api/auth/refresh/", {"refresh": their_refresh}, format="json").status_code == 200


def test_profile_update_is_audited(client_as):
    client = client_as("member")
    response = client.patch("/api/auth/me/", {"display_name": "Dr. Bench", "time_zone": "Europe/Berlin"},
                            format="json")
    assert response.status_code == 200
    assert response.data["time_zone"] == "Europe/Berlin"
    from core.models import AuditEntry

    entry = AuditEntry.objects.get(action="user.update_profile")
    assert entry.changes["time_zone"] == ["UTC", "Europe/Berlin"]


def test_unknown_time_zone_is_a_400(client_as):
    response = client_as("member").patch("/api/auth/me/", {"time_zone": "Mars/Olympus"}, format="json")
    assert response.status_code == 400
    assert "time_zone" in response.data["fields"]


def test_refreshing_for_a_deleted_account_is_a_401_like_any_bad_token(api_client, make_user):
    user = make_user()
    refresh = login(api_client, user.username).data["refresh"]
    user.delete()
    response = api_client.post("/api/auth/refresh/", {"refresh": refresh}, format="json")
    assert response.status_code == 401
    assert response.data == {"error": "token_not_valid",
                             "detail": "That refresh token cannot be used: its account no longer exists",
                             "fields": {"refresh": ["its account no longer exists"]}}


def test_refreshing_for_a_deactivated_account_is_a_401_like_any_bad_token(api_client, make_user):
    user = make_user()
    refresh = login(api_client, user.username).data["refresh"]
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = api_client.post("/api/auth/refresh/", {"refresh": refresh}, format="json")
    assert response.status_code == 401
    assert response.data["error"] == "token_not_valid"
    assert response.data["fields"] == {"refresh": ["its account is disabled"]}


def test_a_refresh_refused_for_its_account_is_not_spent(api_client, make_user):
    """Nothing is written for a refused refresh: the token is not blacklisted on the way."""
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

    user = make_user()
    refresh = login(api_client, user.username).data["refresh"]
    User.objects.filter(pk=user.pk).update(is_active=False)
    api_client.post("/api/auth/refresh/", {"refresh": refresh}, format="json")
    assert not BlacklistedToken.objects.exists()
