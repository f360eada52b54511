""""Maintenance overdue" and "due soon" mean the same in the lists, the asset filter and the reminders."""
from datetime import timedelta

import pytest
from django.utils import timezone

from inventory import services
from inventory.models import Asset

from .factories import AssetFactory


@pytest.fixture
def maintained(make_user):
    operator = make_user("operator")
    today = timezone.localdate()

    def asset_due(days, **fields):
        asset = AssetFactory(**fields)
        services.add_maintenance_record(operator, asset, summary="Service", performed_on=today - timedelta(days=90),
                                        next_due=today + timedelta(days=days))
        return asset

    return {"late": asset_due(-3), "soon": asset_due(5), "later": asset_due(60),
            "retired": asset_due(-3, status=Asset.Status.RETIRED)}


@pytest.mark.django_db
def test_the_record_list_the_asset_filter_and_the_reminders_agree(client_as, maintained):
    client = client_as("viewer")
    late = client.get("/api/inventory/maintenance/", {"overdue": "true"}).data["results"]
    assert [row["asset"] for row in late] == [maintained["late"].pk]
    soon = client.get("/api/inventory/maintenance/", {"due_within": "14"}).data["results"]
    assert [row["asset"] for row in soon] == [maintained["soon"].pk]
    assets = client.get("/api/inventory/assets/", {"maintenance_overdue": "true"}).data["results"]
    assert [row["id"] for row in assets] == [maintained["late"].pk]
    assert services.send_maintenance_reminders(days_ahead=14) == {"overdue": 1, "upcoming": 1}


@pytest.mark.django_db
def test_a_bad_due_within_is_a_400(client_as):
    response = client_as("viewer").get("/api/inventory/maintenance/", {"due_within": "-1"})
    assert response.status_code == 400 and "due_within" in response.data["fields"]
