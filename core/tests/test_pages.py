"""Login and dashboard pages."""
import pytest

pytestmark = pytest.mark.django_db


def test_the_dashboard_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_logs_in_and_shows_the_feed(client, make_user):
    user = make_user("operator")
    response = client.post("/accounts/login/", {"username": user.username, "password": "Correct-Horse-42!"},
                           follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="activity"' in html
    assert "audit" in html  # operators follow the audit topic
    assert "htmx" in html and "cdn" not in html.lower()


def test_a_wrong_password_says_so(client, make_user):
    user = make_user()
    response = client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "Wrong username or password" in response.content.decode()


def test_swagger_and_redoc_are_served_without_a_cdn(client):
    for url in ["/api/docs/", "/api/redoc/"]:
        html = client.get(url).content.decode()
        assert "cdn.jsdelivr" not in html and "unpkg" not in html
    assert client.get("/api/schema/").status_code == 200


def test_the_login_page_shares_the_api_throttle(client, api_client, make_user):
    """Five failures through the API lock the page login too: one rule, two doors."""
    user = make_user()
    for _ in range(5):
        api_client.post("/api/auth/login/", {"username": user.username, "password": "Wrong-password-1"},
                        format="json", REMOTE_ADDR="10.0.0.5")
    response = client.post("/accounts/login/", {"username": user.username, "password": "Correct-Horse-42!"},
                           REMOTE_ADDR="10.0.0.6")
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_dashboard_follows_every_domain_topic_the_user_may_see_and_lists_changes_newest_first(
        client, make_user):
    from core import activity
    from scheduler import services
    from scheduler.tests.factories import DeviceFactory

    member = make_user("member")
    for n in range(activity.FEED_LENGTH + 5):
        services.add_favourite(member, DeviceFactory(name=f"Scope {n}").pk)
    client.force_login(member)
    response = client.get("/")
    topics = response.context["topics"]
    assert {"system", "scheduler", "inventory"} <= set(topics)
    assert "audit" not in topics  # members do not follow the audit trail
    feed = response.context["feed"]
    assert len(feed) == activity.FEED_LENGTH
    assert feed[0].text == f"added to their devices Scope {activity.FEED_LENGTH + 4}"
    assert [line.at for line in feed] == sorted((line.at for line in feed), reverse=True)
