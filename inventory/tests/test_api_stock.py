"""Materials and the ledger through the API."""
from decimal import Decimal

import pytest

from core.testing import count_queries
from inventory import services
from inventory.models import StockItem

from .factories import LocationFactory, MaterialFactory

pytestmark = pytest.mark.django_db
URL = "/api/inventory/materials/"


def test_consume_short_stock_is_409_with_the_available_quantity(client_as, stocked):
    material = stocked("3", unit="m")
    response = client_as("member").post(f"{URL}{material.pk}/consume/", {"quantity": "5"})
    assert response.status_code == 409
    assert response.data["available"] == "3"
    assert response.data["detail"].startswith("Only 3 m")


def test_consume_returns_the_movement_and_new_levels(client_as, stocked):
    material = stocked("10")
    response = client_as("member").post(f"{URL}{material.pk}/consume/", {
        "quantity": "2.5", "reason": "print", "reference_type": "equipment.job", "reference_id": "77"})
    assert response.status_code == 201
    assert response.data["movements"][0]["on_hand_after"] == "7.500"
    assert Decimal(response.data["material"]["available"]) == Decimal("7.5")


def test_allocate_release_and_available(client_as, stocked):
    material = stocked("10")
    client = client_as("member")
    assert client.post(f"{URL}{material.pk}/allocate/", {"quantity": "8"}).status_code == 201
    short = client.post(f"{URL}{material.pk}/consume/", {"quantity": "3"})
    assert (short.status_code, short.data["available"]) == (409, "2")
    assert client.post(f"{URL}{material.pk}/release/", {"quantity": "8"}).status_code == 201
    assert Decimal(client.get(f"{URL}{material.pk}/").data["available"]) == 10


def test_operator_receives_transfers_adjusts_and_counts(client_as, stocked, shelf):
    material = stocked("10")
    other = LocationFactory(kind="shelf")
    client = client_as("operator")
    assert client.post(f"{URL}{material.pk}/receive/", {"quantity": "5", "location": shelf.pk, "lot": "L1"}
                       ).status_code == 201
    moved = client.post(f"{URL}{material.pk}/transfer/", {"quantity": "4", "from_location": shelf.pk,
                                                          "to_location": other.pk})
    assert moved.status_code == 201 and len(moved.data["movements"]) == 2
    assert client.post(f"{URL}{material.pk}/adjust/", {"change": "-1", "location": other.pk, "reason": "dropped"}
                       ).status_code == 201
    counted = client.post(f"{URL}{material.pk}/stocktake/", {"counted": "2", "location": other.pk})
    assert counted.status_code == 201
    assert counted.data["movements"][0]["counted"] == "2.000"
    assert StockItem.objects.get(material=material, location=other).quantity == 2


def test_bad_quantity_is_400_with_a_message(client_as, stocked):
    material = stocked("10")
    response = client_as("member").post(f"{URL}{material.pk}/consume/", {"quantity": "lots"})
    assert response.status_code == 400
    assert "number" in response.data["detail"]


def test_members_cannot_receive(client_as, stocked, shelf):
    material = stocked("10")
    response = client_as("member").post(f"{URL}{material.pk}/receive/", {"quantity": "1", "location": shelf.pk})
    assert response.status_code == 403


def test_movements_filter_by_material_and_kind(client_as, stocked, member):
    material, other = stocked("10"), stocked("10")
    services.consume_stock(member, material, "1")
    rows = client_as("viewer").get("/api/inventory/movements/", {"material": material.pk, "kind": "consume"}).data
    assert len(rows["results"]) == 1 and rows["results"][0]["material"] == material.pk
    assert other.pk not in {r["material"] for r in rows["results"]}


def test_low_stock_lists_only_materials_under_their_level(client_as, stocked, member):
    low = stocked("10", reorder_level="5")
    stocked("10", reorder_level="5")
    services.consume_stock(member, low, "6")
    rows = client_as("viewer").get("/api/inventory/low-stock/").data["results"]
    assert [r["id"] for r in rows] == [low.pk]
    assert rows[0]["low_stock"] is True


def test_stats_report_stock_value(client_as, stocked):
    stocked("100", cost_per_unit=Decimal("0.25"))
    data = client_as("viewer").get("/api/inventory/stats/").data
    assert data["stock"]["value"] == "25.00"
    assert data["stock"]["materials"] == 1


def test_creating_a_material_with_a_taken_sku_is_409(client_as):
    MaterialFactory(sku="PLA-1")
    response = client_as("operator").post(URL, {"sku": "pla-1", "name": "PLA", "unit": "g"})
    assert response.status_code == 409


@pytest.mark.parametrize("url", [URL, "/api/inventory/movements/", "/api/inventory/low-stock/"])
def test_list_query_count_does_not_grow_with_rows(client_as, operator, url):
    client = client_as("viewer")

    def make(n):
        for _ in range(n):
            material = MaterialFactory(reorder_level="100")
            services.receive_stock(operator, material, "5", location=LocationFactory(kind="shelf"))

    make(1)
    one, _ = count_queries(client, url)
    make(29)
    thirty, response = count_queries(client, url)
    assert len(response.data["results"]) >= 30
    assert thirty == one


def test_stats_count_assets_per_site_in_a_fixed_number_of_queries(client_as):
    from .factories import AssetFactory

    client = client_as("viewer")

    def measured():
        count, response = count_queries(client, "/api/inventory/stats/")
        return count, response.data

    site = LocationFactory(name="North", kind="site")
    AssetFactory(location=LocationFactory(name="Lab", parent=site))
    one_site, data = measured()
    for n in range(3):
        other = LocationFactory(name=f"Site {n}", kind="site")
        AssetFactory(location=other)
    four_sites, data = measured()
    assert one_site == four_sites
    counts = {row["name"]: row["count"] for row in data["assets"]["by_location"]}
    assert counts["North"] == 1 and counts["Site 0"] == 1
