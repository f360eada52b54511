"""Failed logins are throttled per username and per IP; the API has a default rate per user."""
import pytest

pytestmark = pytest.mark.django_db


def bad_login(api_client, username, ip="10.9.8.7"):
    return api_client.post("/api/auth/login/", {"username": username, "password": "Wrong-password-1"},
                           format="json", REMOTE_ADDR=ip)


def test_the_sixth_bad_login_is_429_with_retry_after(api_client, make_user):
    user = make_user()
    for _ in range(5):
        assert bad_login(api_client, user.username).status_code == 401
    sixth = bad_login(api_client, user.username)
    assert sixth.status_code == 429
    assert 1 <= int(sixth["Retry-After"]) <= 61
    # Even the right password waits out the minute.
    right = api_client.post("/api/auth/login/", {"username": user.username, "password": "Correct-Horse-42!"},
                            format="json", REMOTE_ADDR="10.9.8.7")
    assert right.status_code == 429


def test_the_limit_is_per_ip_across_usernames(api_client, make_user):
    for n in range(5):
        assert bad_login(api_client, f"someone{n}", ip="10.1.1.1").status_code == 401
    assert bad_login(api_client, "someone-else", ip="10.1.1.1").status_code == 429
    assert bad_login(api_client, "someone-else", ip="10.2.2.2").status_code == 401


def test_the_limit_is_per_username_across_ips(api_client, make_user):
    user = make_user()
    for n in range(5):
        assert bad_login(api_client, user.username, ip=f"10.3.3.{n}").status_code == 401
    assert bad_login(api_client, user.username, ip="10.3.3.99").status_code == 429


def test_default_api_rate_is_100_a_minute_per_user(client_as, settings):
    client = client_as("member")
    statuses = [client.get("/api/auth/me/").status_code for _ in range(101)]
    assert statuses[:100] == [200] * 100
    assert statuses[100] == 429
