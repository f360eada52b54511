"""Inventory page forms through Django's test client: the same services and messages as the API."""
import pytest

from inventory.models import Asset, StockMovement

from .factories import AssetFactory, DeviceTypeFactory, LocationFactory, MaterialFactory

pytestmark = pytest.mark.django_db


def test_an_import_preview_lists_each_bad_line_and_keeps_nothing(make_user, client):
    DeviceTypeFactory(name="Router")
    client.force_login(make_user("operator"))
    text = "name,device_type\nEdge 1,Router\nEdge 2,Toaster\nEdge 3,Router\n"
    page = client.post("/inventory/import/", {"kind": "assets", "text": text, "step": "preview"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert 'data-line="3"' in page and "Toaster" in page
    assert 'data-line="2"' not in page and 'data-line="4"' not in page
    assert not Asset.objects.exists()


def test_a_clean_preview_keeps_nothing_until_imported(make_user, client):
    DeviceTypeFactory(name="Router")
    client.force_login(make_user("operator"))
    text = "name,device_type\nEdge 1,Router\nEdge 2,Router\n"
    page = client.post("/inventory/import/", {"kind": "assets", "text": text, "step": "preview"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert "2 lines can be imported" in page and not Asset.objects.exists()
    page = client.post("/inventory/import/", {"kind": "assets", "text": text, "step": "import"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert "data-imported" in page
    assert sorted(Asset.objects.values_list("name", flat=True)) == ["Edge 1", "Edge 2"]


def test_bulk_move_from_the_asset_list_goes_through_the_service(make_user, client):
    shelf = LocationFactory(name="Cage 4")
    assets = [AssetFactory(), AssetFactory()]
    client.force_login(make_user("operator"))
    response = client.post("/inventory/assets/bulk/", {"action": "location", "location": shelf.pk,
                                                       "asset": [a.pk for a in assets]})
    assert response.status_code == 302
    assert {a.location_id for a in Asset.objects.all()} == {shelf.pk}
    assert all(a.pk for a in assets)


def test_a_member_cannot_receive_stock_from_the_page_and_is_told_why(make_user, client):
    material = MaterialFactory()
    client.force_login(make_user("member"))
    page = client.get(f"/inventory/materials/{material.pk}/").content.decode()
    assert 'data-action="consume"' in page and 'data-action="receive"' not in page
    answer = client.post(f"/inventory/materials/{material.pk}/receive/",
                         {"receive-quantity": "5", "receive-location": LocationFactory().pk},
                         HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and "operator" in answer.content.decode().lower()
    assert not StockMovement.objects.exists()


def test_a_member_cannot_record_maintenance_from_the_page_and_is_told_why(make_user, client):
    asset = AssetFactory()
    client.force_login(make_user("member"))
    answer = client.post(f"/inventory/assets/{asset.pk}/maintenance/", {"summary": "cleaned"},
                         HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and "record maintenance" in answer.content.decode()
    assert not asset.maintenance_records.exists()
