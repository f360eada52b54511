"""The same rules through the other doors: admin actions, management commands, Celery task, pages."""
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from inventory import services, tasks
from inventory.models import Asset, Checkout, StockItem, StockMovement

from .admin_forms import change_form_data
from .factories import AssetFactory, DeviceTypeFactory, MaterialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_admin_stocktake_action_writes_the_difference_to_the_ledger(admin_client_as, operator, stocked):
    material = stocked("10")
    item = StockItem.objects.get(material=material)
    response = admin_client_as(operator).post("/admin/inventory/stockitem/", {
        "action": "record_stocktake", "_selected_action": [item.pk], "apply": "1", "counted": "7", "reason": "count"})
    assert response.status_code == 302
    row = StockMovement.objects.get(material=material, kind="stocktake")
    assert (row.counted, row.on_hand_change, row.actor) == (7, -3, operator)


def test_admin_check_in_action_uses_the_service(admin_client_as, operator, member):
    asset = AssetFactory()
    services.check_out_asset(member, asset)
    admin_client_as(operator).post("/admin/inventory/asset/", {"action": "check_in", "_selected_action": [asset.pk]})
    assert Checkout.objects.get(asset=asset).checked_in_by == operator


def test_import_assets_command_imports_nothing_when_a_row_is_bad(tmp_path, make_user):
    make_user("admin", is_superuser=True)
    DeviceTypeFactory(name="Printer")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,device_type\nP1,Printer\nP2,Plotter\n")
    with pytest.raises(CommandError):
        call_command("import_assets", str(bad))
    assert Asset.objects.count() == 0
    good = tmp_path / "good.csv"
    good.write_text("name,device_type\nP1,Printer\nP2,Printer\n")
    call_command("import_assets", str(good))
    assert Asset.objects.count() == 2


def test_maintenance_reminders_go_out_once_from_command_and_task(operator, django_capture_on_commit_callbacks):
    asset = AssetFactory()
    today = timezone.localdate()
    services.add_maintenance_record(operator, asset, summary="Calibrate", performed_on=today - timedelta(days=60),
                                    next_due=today - timedelta(days=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("maintenance_due")
        assert tasks.maintenance_due.delay().get() == {"overdue": 0, "upcoming": 0}
    assert len(mail.outbox) == 1
    assert "Calibrate" in mail.outbox[0].body


def test_consume_rule_holds_on_a_staff_page_scan_and_material_list(client, member, stocked):
    material = stocked("5", reorder_level="10", sku="PLA-RED")
    client.force_login(member)
    page = client.get("/inventory/materials/")
    assert page.status_code == 200
    assert b'class="low-stock" data-sku="PLA-RED"' in page.content
    assert client.get("/inventory/scan/", {"code": "pla-red"})["Location"] == f"/inventory/materials/{material.pk}/"
    assert client.get("/inventory/scan/", {"code": "nothing-here"}).status_code == 404


def test_pages_render(client, operator, stocked):
    asset = services.create_asset(operator, name="Scope", device_type=DeviceTypeFactory())
    material = MaterialFactory()
    client.force_login(operator)
    for url in ["/inventory/", f"/inventory/assets/{asset.pk}/", f"/inventory/materials/{material.pk}/",
                "/inventory/labels/", f"/inventory/labels/?assets={asset.pk}&materials={material.pk}",
                f"/inventory/scan/?code={asset.inventory_id}"]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    assert client.get("/inventory/", {"q": "Scope"}).context["page"].paginator.count == 1


def test_pages_need_a_login(client):
    assert client.get("/inventory/").status_code == 302


def test_a_refused_admin_save_stays_on_the_form_and_changes_nothing(admin_client_as, make_user):
    """Moving a location under its own child through the admin: the service's message, no success."""
    from .factories import LocationFactory

    site = LocationFactory(name="Site", kind="site")
    room = LocationFactory(name="Room", parent=site)
    client = admin_client_as(make_user("operator"))
    url = f"/admin/inventory/location/{site.pk}/change/"
    response = client.post(url, {"name": "Site", "kind": "site", "parent": room.pk, "rack_units": "",
                                 "description": ""}, follow=True)
    text = response.content.decode()
    assert "was changed successfully" not in text
    assert '<li class="error">' in text
    assert response.redirect_chain[-1][0] == url
    site.refresh_from_db()
    assert site.parent_id is None
    from django.contrib.admin.models import LogEntry

    assert not LogEntry.objects.filter(object_id=str(site.pk)).exists()


def test_tags_changed_in_the_admin_land_in_the_asset_history(admin_client_as, operator, client_as):
    from inventory.models import Tag

    asset = services.create_asset(operator, name="Scope", device_type=DeviceTypeFactory())
    tag = services.create_catalog_item(operator, Tag, name="calibrated")
    client = admin_client_as(operator)
    url = f"/admin/inventory/asset/{asset.pk}/change/"
    data = change_form_data(client.get(url))
    data["tags"] = [tag.pk]
    response = client.post(url, data, follow=True)
    assert "was changed successfully" in response.content.decode()
    assert list(asset.tags.values_list("name", flat=True)) == ["calibrated"]
    history = client_as("viewer").get(f"/api/inventory/assets/{asset.pk}/history/").data["results"]
    assert history[0]["action"] == "asset.update"
    assert history[0]["changes"] == {"tags": [[], [tag.pk]]}
