"""The dashboard in headless Chromium: log in, watch a live event arrive."""
import pytest

pytestmark = pytest.mark.browser


def test_dashboard_shows_an_event_published_after_login(make_user, login_in_browser, live_site):
    operator = make_user("operator")
    page = login_in_browser(operator)
    page.wait_for_selector("#live-status[data-state=live]")

    # Someone else registers through the running site: the service publishes user.registered.
    response = page.context.request.post(f"{live_site}/api/auth/register/", data={
        "username": "newcomer", "email": "newcomer@example.org", "password": "Plenty-Long-Secret-7",
    })
    assert response.status == 201, response.text()

    item = page.wait_for_selector("#event-feed li.event")
    assert "user.registered" in item.inner_text()
    assert "newcomer" in item.inner_text()
