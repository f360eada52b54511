"""One failed-login counter per account and per address, whichever login door and name were used."""
import pytest

from accounts.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "Wrong-password-1!"


def api_login(api_client, username, password=WRONG, ip="10.4.0.1"):
    return api_client.post("/api/auth/login/", {"username": username, "password": password}, format="json",
                           REMOTE_ADDR=ip)


def browsable_login(client, username, password=WRONG, ip="10.4.0.1"):
    return client.post("/api-auth/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_browsable_api_login_logs_in_with_the_right_password(client, make_user):
    user = make_user()
    response = browsable_login(client, user.username, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.get("/api/auth/me/").json()["username"] == user.username


def test_the_browsable_api_login_is_locked_by_failures_on_the_api(client, api_client, make_user):
    user = make_user()
    for n in range(5):
        assert api_login(api_client, user.username, ip=f"10.4.1.{n}").status_code == 401
    response = browsable_login(client, user.username, DEFAULT_PASSWORD, ip="10.4.2.1")
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_on_the_browsable_api_login_lock_the_api(client, api_client, make_user):
    user = make_user()
    for n in range(5):
        response = browsable_login(client, user.username, ip=f"10.4.3.{n}")
        assert "Wrong username or password" in response.content.decode()
    assert api_login(api_client, user.username, DEFAULT_PASSWORD, ip="10.4.4.1").status_code == 429


def test_the_browsable_api_login_counts_failures_per_address(client, make_user):
    for n in range(5):
        browsable_login(client, f"nobody{n}", ip="10.4.5.5")
    response = browsable_login(client, "someone-else", ip="10.4.5.5")
    assert "Too many failed logins" in response.content.decode()


def test_username_and_email_of_one_account_share_one_counter(api_client, make_user):
    user = make_user()
    names = [user.username, user.email, user.username.upper(), user.email.upper(), f"  {user.username}  "]
    for n, name in enumerate(names):
        assert api_login(api_client, name, ip=f"10.4.6.{n}").status_code == 401
    sixth = api_login(api_client, user.email, DEFAULT_PASSWORD, ip="10.4.6.99")
    assert sixth.status_code == 429


def test_one_account_shares_its_counter_across_doors_and_names(client, api_client, make_user):
    user = make_user()
    for n in range(3):
        client.post("/accounts/login/", {"username": user.email.upper(), "password": WRONG}, REMOTE_ADDR=f"10.4.7.{n}")
    for n in range(2):
        browsable_login(client, user.username, ip=f"10.4.8.{n}")
    assert api_login(api_client, user.username, DEFAULT_PASSWORD, ip="10.4.9.1").status_code == 429


def test_an_unknown_name_is_counted_by_its_normalised_text(api_client, db):
    for n, name in enumerate(["ghost", "GHOST", " Ghost ", "ghost", "gHoSt"]):
        assert api_login(api_client, name, ip=f"10.5.0.{n}").status_code == 401
    assert api_login(api_client, "ghost", ip="10.5.1.1").status_code == 429
    assert api_login(api_client, "ghost2", ip="10.5.1.2").status_code == 401


def test_other_accounts_keep_their_own_counter(api_client, make_user):
    locked, other = make_user(), make_user()
    for n in range(5):
        api_login(api_client, locked.username, ip=f"10.5.2.{n}")
    assert api_login(api_client, other.email, DEFAULT_PASSWORD, ip="10.5.3.1").status_code == 200


def test_a_username_logs_in_in_any_case(api_client, make_user):
    user = make_user()
    assert api_login(api_client, user.username.upper(), DEFAULT_PASSWORD).status_code == 200
