"""The browsable API: the root lists every app, and an action opens with its own input form."""
import pytest

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_every_app(client, make_user):
    client.force_login(make_user("operator"))
    data = client.get("/api/", HTTP_ACCEPT="application/json").json()
    assert {"auth", "scheduler", "inventory", "audit"} <= set(data)
    assert data["scheduler"].endswith("/api/scheduler/")
    assert client.get(data["scheduler"], HTTP_ACCEPT="application/json").status_code == 200


def test_an_action_opens_in_the_browser_with_its_own_form(client, make_user):
    from inventory.tests.factories import AssetFactory

    asset = AssetFactory()
    client.force_login(make_user("operator"))
    page = client.get(f"/api/inventory/assets/{asset.pk}/check-out/", HTTP_ACCEPT="text/html")
    html = page.content.decode()
    assert page.status_code == 200 and "send it with POST" in html
    assert 'name="expected_return"' in html  # the check-out input ...
    assert 'name="serial_number"' not in html  # ... not the asset's edit form
    # Programs still learn that the action takes POST only.
    assert client.get(f"/api/inventory/assets/{asset.pk}/check-out/",
                      HTTP_ACCEPT="application/json").status_code == 405


def test_the_object_page_keeps_its_edit_form(client, make_user):
    from inventory.tests.factories import AssetFactory

    asset = AssetFactory()
    client.force_login(make_user("operator"))
    html = client.get(f"/api/inventory/assets/{asset.pk}/", HTTP_ACCEPT="text/html").content.decode()
    assert 'name="serial_number"' in html
