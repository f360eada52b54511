"""Catalogue rules that hold whichever door a change comes through (API, admin, service)."""
import pytest

from core.errors import RuleViolation
from inventory import services
from inventory.models import Asset, DeviceType, Tag

from .factories import AssetFactory, DeviceTypeFactory


@pytest.mark.django_db
def test_a_tag_colour_is_rrggbb_through_the_api_and_the_admin(client_as, client, make_user):
    response = client_as("operator").post("/api/inventory/tags/", {"name": "Hot", "color": "red"}, format="json")
    assert response.status_code == 400 and response.data["fields"]["color"] == ["Use #rrggbb."]
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    page = client.post("/admin/inventory/tag/add/", {"name": "Hot", "color": "#12345z"}, follow=True)
    assert page.status_code == 200 and "rrggbb" in page.content.decode()
    assert not Tag.objects.filter(name="Hot").exists()


@pytest.mark.django_db
def test_device_type_ports_need_a_name_each_through_the_service_too(make_user):
    operator = make_user("operator")
    with pytest.raises(RuleViolation) as refused:
        services.update_catalog_item(operator, DeviceTypeFactory(), ports=[{"kind": "rj45"}])
    assert "ports" in refused.value.fields
    kind = services.create_catalog_item(operator, DeviceType, name="Switch", category="infra",
                                        ports=[{"name": "eth0", "kind": "rj45"}])
    assert kind.port_count == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", [[None, None], 7, {"a": 1}, ""])
def test_a_port_name_that_is_not_text_is_refused_and_the_ports_stay(client_as, name):
    kind = DeviceTypeFactory(ports=[{"name": "eth0"}])
    response = client_as("operator").patch(f"/api/inventory/device-types/{kind.pk}/", {"ports": [{"name": name}]},
                                           format="json")
    assert response.status_code == 400 and "ports" in response.data["fields"], response.content
    kind.refresh_from_db()
    assert kind.ports == [{"name": "eth0"}]


@pytest.mark.django_db
def test_deleting_an_asset_retires_it_and_the_history_says_so(client_as):
    asset = AssetFactory()
    client = client_as("operator")
    assert client.delete(f"/api/inventory/assets/{asset.pk}/").status_code == 204
    assert Asset.objects.get(pk=asset.pk).status == Asset.Status.RETIRED
    history = client.get(f"/api/inventory/assets/{asset.pk}/history/").data["results"]
    assert history[0]["changes"]["status"][1] == Asset.Status.RETIRED
