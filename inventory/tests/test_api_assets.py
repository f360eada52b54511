"""Assets, locations, check-out, maintenance, history, CSV and labels through the API."""
from datetime import timedelta

import pytest
from django.utils import timezone

from core.testing import count_queries
from inventory import services
from inventory.models import Asset, Location

from .factories import AssetFactory, DeviceTypeFactory, LocationFactory, TagFactory

pytestmark = pytest.mark.django_db
URL = "/api/inventory/assets/"


def test_creating_an_asset_generates_a_readable_inventory_id(client_as):
    response = client_as("operator").post(URL, {"name": "Switch A", "device_type": DeviceTypeFactory().pk})
    assert response.status_code == 201
    assert response.data["inventory_id"] == f"BT-{response.data['id']:06d}"


def test_a_management_ip_is_unique(client_as, operator):
    kind = DeviceTypeFactory()
    services.create_asset(operator, name="a", device_type=kind, management_ip="10.0.0.5")
    response = client_as("operator").post(URL, {"name": "b", "device_type": kind.pk, "management_ip": "10.0.0.5"})
    assert response.status_code == 409
    assert "10.0.0.5" in response.data["detail"]


def test_history_lists_each_changed_field_with_old_and_new(client_as, operator):
    asset = services.create_asset(operator, name="Router", device_type=DeviceTypeFactory())
    client = client_as("operator")
    client.patch(f"{URL}{asset.pk}/", {"status": "spare", "serial_number": "SN1"})
    history = client_as("viewer").get(f"{URL}{asset.pk}/history/").data["results"]
    assert history[0]["action"] == "asset.update"
    assert history[0]["changes"]["status"] == ["active", "spare"]
    assert history[0]["changes"]["serial_number"] == ["", "SN1"]
    assert history[-1]["action"] == "asset.create"


def test_an_asset_checked_out_cannot_be_checked_out_again(client_as, make_user):
    asset = AssetFactory()
    first, second = client_as("member"), client_as("member")
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert first.post(f"{URL}{asset.pk}/check-out/", {"expected_return": due}).status_code == 201
    again = second.post(f"{URL}{asset.pk}/check-out/", {})
    assert again.status_code == 409
    assert "already checked out" in again.data["detail"]
    assert second.post(f"{URL}{asset.pk}/check-in/", {}).status_code == 403
    assert first.post(f"{URL}{asset.pk}/check-in/", {}).status_code == 200
    assert second.post(f"{URL}{asset.pk}/check-out/", {}).status_code == 201


def test_check_out_to_a_project_reference_and_overdue_list(client_as, member):
    asset = AssetFactory()
    checkout = services.check_out_asset(member, asset, reference_type="projects.project", reference_id="12",
                                        expected_return=timezone.localdate())
    checkout.expected_return = timezone.localdate() - timedelta(days=1)
    checkout.save()
    rows = client_as("viewer").get("/api/inventory/checkouts/overdue/").data["results"]
    assert [r["holder"] for r in rows] == ["projects.project #12"]


def test_a_member_may_not_check_out_to_someone_else(client_as, make_user):
    other = make_user("member")
    response = client_as("member").post(f"{URL}{AssetFactory().pk}/check-out/", {"to_user": other.pk})
    assert response.status_code == 403


def test_location_paths_children_and_moves_without_cycles(client_as):
    client = client_as("operator")
    site = client.post("/api/inventory/locations/", {"name": "HQ", "kind": "site"}).data
    room = client.post("/api/inventory/locations/", {"name": "Lab 1", "kind": "room", "parent": site["id"]}).data
    rack = client.post("/api/inventory/locations/", {"name": "R1", "kind": "rack", "parent": room["id"]}).data
    assert rack["path"] == "HQ / Lab 1 / R1"
    assert client.get(f"/api/inventory/locations/{site['id']}/").data["children"][0]["name"] == "Lab 1"
    cycle = client.patch(f"/api/inventory/locations/{site['id']}/", {"parent": rack["id"]})
    assert cycle.status_code == 400
    client.patch(f"/api/inventory/locations/{room['id']}/", {"name": "Lab 2"})
    assert Location.objects.get(pk=rack["id"]).full_name == "HQ / Lab 2 / R1"


def test_asset_filters_location_subtree_tag_and_overdue_maintenance(client_as, operator):
    site = services.create_location(operator, name="Site", kind="site")
    room = services.create_location(operator, name="Room", kind="room", parent=site)
    inside = AssetFactory(location=room)
    AssetFactory()
    tag = TagFactory(name="fragile")
    inside.tags.add(tag)
    client = client_as("viewer")
    assert [a["id"] for a in client.get(URL, {"location": site.pk}).data["results"]] == [inside.pk]
    assert [a["id"] for a in client.get(URL, {"tag": "fragile"}).data["results"]] == [inside.pk]
    services.add_maintenance_record(operator, inside, summary="Fans", performed_on=timezone.localdate(),
                                    next_due=timezone.localdate())
    Asset.objects.filter(pk=inside.pk).update(next_maintenance_due=timezone.localdate() - timedelta(days=1))
    assert [a["id"] for a in client.get(URL, {"maintenance_overdue": "true"}).data["results"]] == [inside.pk]


def test_rack_positions_do_not_overlap(client_as, operator):
    rack = services.create_location(operator, name="R9", kind="rack", rack_units=10)
    big = DeviceTypeFactory(rack_units=2)
    services.create_asset(operator, name="srv", device_type=big, location=rack, rack_position=3)
    client = client_as("operator")
    clash = client.post(URL, {"name": "x", "device_type": big.pk, "location": rack.pk, "rack_position": 4})
    assert clash.status_code == 409
    too_high = client.post(URL, {"name": "y", "device_type": big.pk, "location": rack.pk, "rack_position": 10})
    assert too_high.status_code == 400


def test_bulk_update_changes_all_or_reports_missing(client_as):
    a, b = AssetFactory(), AssetFactory()
    client = client_as("operator")
    assert client.post(f"{URL}bulk-update/", {"ids": [a.pk, b.pk], "status": "retired"}).status_code == 200
    assert set(Asset.objects.values_list("status", flat=True)) == {"retired"}
    assert client.post(f"{URL}bulk-update/", {"ids": [a.pk, 99999], "status": "spare"}).status_code == 404


def test_maintenance_record_sets_the_next_due_date(client_as):
    asset = AssetFactory()
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client_as("operator").post("/api/inventory/maintenance/", {
        "asset": asset.pk, "summary": "Replaced PSU", "cost": "120.50", "parts": "PSU 650W", "next_due": due})
    assert response.status_code == 201
    asset.refresh_from_db()
    assert asset.next_maintenance_due.isoformat() == due


def test_labels_are_png_and_svg_holding_the_page_url(client_as):
    asset = AssetFactory()
    client = client_as("viewer")
    png = client.get(f"{URL}{asset.pk}/label.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    svg = client.get(f"{URL}{asset.pk}/label.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert client.get(f"{URL}{asset.pk}/label.gif").status_code == 404


def test_a_label_of_a_name_with_a_newline_downloads_under_a_plain_file_name(client_as):
    from .factories import LocationFactory

    shelf = LocationFactory(name='Shelf\nB "top"/left', kind="shelf")
    response = client_as("viewer").get(f"/api/inventory/locations/{shelf.pk}/label.svg")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('inline; filename="label-')
    assert "\n" not in response["Content-Disposition"] and "/" not in response["Content-Disposition"]


def test_csv_import_reports_bad_rows_by_line_and_imports_nothing(client_as):
    DeviceTypeFactory(name="Switch")
    body = "name,device_type,management_ip\nok,Switch,10.1.1.1\nbad,NoSuchType,\nalso bad,Switch,not-an-ip\n"
    response = client_as("operator").generic("POST", f"{URL}import/", body, content_type="text/csv")
    assert response.status_code == 400
    assert [r["line"] for r in response.data["rows"]] == [3, 4]
    assert Asset.objects.count() == 0


def test_csv_import_and_export_round_trip(client_as):
    DeviceTypeFactory(name="Switch")
    client = client_as("operator")
    body = "name,device_type,status\nA,Switch,spare\nB,Switch,active\n"
    assert client.generic("POST", f"{URL}import/", body, content_type="text/csv").data["imported"] == 2
    exported = b"".join(client.get(f"{URL}export.csv").streaming_content).decode()
    assert exported.splitlines()[0].startswith("inventory_id,name,serial_number,device_type")
    assert len(exported.splitlines()) == 3


def test_csv_import_rejects_a_wrong_header_and_binary_with_400(client_as):
    client = client_as("operator")
    assert client.generic("POST", f"{URL}import/", "foo,bar\n1,2\n", content_type="text/csv").status_code == 400
    assert client.generic("POST", f"{URL}import/", b"\xff\xfe\x00", content_type="text/csv").status_code == 400
    assert client.post(f"{URL}import/", {}).status_code == 400


@pytest.mark.parametrize("url", [URL, "/api/inventory/locations/", "/api/inventory/checkouts/"])
def test_list_query_count_does_not_grow_with_rows(client_as, operator, url):
    client = client_as("viewer")
    tag = TagFactory()

    def make(n):
        for _ in range(n):
            location = LocationFactory(parent=LocationFactory(kind="site"))
            asset = AssetFactory(location=location)
            asset.tags.add(tag)
            services.check_out_asset(operator, asset)

    make(1)
    one, _ = count_queries(client, url)
    make(29)
    thirty, response = count_queries(client, url)
    assert response.data["count"] >= 30
    assert thirty == one
