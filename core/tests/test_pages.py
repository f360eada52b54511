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
    assert 'id="event-feed"' in html
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


def test_the_dashboard_follows_every_domain_topic_the_user_may_see_and_starts_with_recent_events(
        client, make_user, django_capture_on_commit_callbacks):
    from core import events

    with django_capture_on_commit_callbacks(execute=True):
        first = events.publish("system", "lab.opened", {})[0]
        for n in range(40):
            events.publish("system", "tick", {"n": n})
    client.force_login(make_user("member"))
    response = client.get("/")
    topics = response.context["topics"]
    assert {"system", "scheduler", "inventory"} <= set(topics)
    assert "audit" not in topics  # members do not follow the audit trail
    assert response.context["start_after"] == first.position + 10  # only the 30 newest are replayed
