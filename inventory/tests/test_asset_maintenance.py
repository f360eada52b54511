"""``assets/<id>/maintenance/``: an asset's maintenance records, recorded through the one service."""
from datetime import timedelta

import pytest
from django.utils import timezone

from inventory import services
from inventory.models import MaintenanceRecord

from .factories import AssetFactory

pytestmark = pytest.mark.django_db
URL = "/api/inventory/assets/"


def test_an_operator_records_maintenance_under_the_asset(client_as):
    asset = AssetFactory()
    due = (timezone.localdate() + timedelta(days=90)).isoformat()
    response = client_as("operator").post(f"{URL}{asset.pk}/maintenance/", {
        "summary": "Replaced fans", "cost": "40.00", "parts": "2 fans", "done_by": "Acme", "next_due": due},
        format="json")
    assert response.status_code == 201
    assert (response.data["asset"], response.data["summary"], response.data["next_due"]) == (
        asset.pk, "Replaced fans", due)
    asset.refresh_from_db()
    assert asset.next_maintenance_due.isoformat() == due
    assert response.data["recorded_by"] == MaintenanceRecord.objects.get(asset=asset).recorded_by_id


def test_the_list_holds_only_that_assets_records_newest_first(client_as, operator):
    asset, other = AssetFactory(), AssetFactory()
    today = timezone.localdate()
    services.add_maintenance_record(operator, asset, summary="Old", performed_on=today - timedelta(days=30))
    services.add_maintenance_record(operator, asset, summary="New", performed_on=today)
    services.add_maintenance_record(operator, other, summary="Elsewhere")
    response = client_as("viewer").get(f"{URL}{asset.pk}/maintenance/")
    assert response.status_code == 200
    assert [r["summary"] for r in response.data["results"]] == ["New", "Old"]


def test_members_read_but_do_not_record(client_as):
    asset = AssetFactory()
    member = client_as("member")
    assert member.get(f"{URL}{asset.pk}/maintenance/").status_code == 200
    assert member.post(f"{URL}{asset.pk}/maintenance/", {"summary": "x"}, format="json").status_code == 403
    assert not MaintenanceRecord.objects.exists()


@pytest.mark.parametrize("url", ["asset", "maintenance"])
def test_both_routes_refuse_work_dated_in_the_future_the_same_way(client_as, url):
    asset = AssetFactory()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = {"summary": "Calibrated", "performed_on": tomorrow}
    if url == "asset":
        response = client_as("operator").post(f"{URL}{asset.pk}/maintenance/", body, format="json")
    else:
        response = client_as("operator").post("/api/inventory/maintenance/", {**body, "asset": asset.pk},
                                              format="json")
    assert response.status_code == 400
    assert response.data["detail"] == "Maintenance cannot be recorded in the future."
    assert not MaintenanceRecord.objects.exists()
