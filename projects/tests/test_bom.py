"""Bills of materials: stock set aside and given back through the inventory ledger."""
from decimal import Decimal

import pytest

from core.errors import Conflict
from inventory import services as inventory
from inventory.models import StockItem, StockMovement
from inventory.tests.factories import LocationFactory, MaterialFactory
from projects import services
from projects.models import BomLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(make_user):
    """A member's project needing 30 of a material of which 20 are on a shelf."""
    owner, operator = make_user("member"), make_user("operator")
    material = MaterialFactory(unit="pcs", cost_per_unit="0.5")
    shelf = LocationFactory(kind="shelf")
    inventory.receive_stock(operator, material, "20", location=shelf)
    project = services.create_project(owner, name="Rig")
    line = services.add_bom_line(owner, project, material=material, required_quantity="30", critical=True)
    return owner, project, line


def bom_url(project, suffix=""):
    return f"/api/projects/projects/{project.pk}/bom/{suffix}"


def test_allocating_moves_stock_through_the_ledger_naming_the_project(stocked, client_as):
    owner, project, line = stocked
    client = client_as("member", user=owner)
    response = client.post(bom_url(project, f"{line.pk}/allocate/"), {"quantity": "8"})
    assert response.status_code == 200 and response.data["allocated_quantity"] == "8"
    movement = StockMovement.objects.get(kind="allocate")
    assert (movement.reference_type, movement.reference_id) == ("projects.project", str(project.pk))
    assert StockItem.objects.get(material=line.material).allocated == Decimal(8)
    back = client.post(bom_url(project, f"{line.pk}/return/"), {"quantity": "3"})
    assert back.status_code == 200 and back.data["allocated_quantity"] == "5"
    assert StockItem.objects.get(material=line.material).allocated == Decimal(5)


def test_short_stock_is_a_409_and_nothing_changes(stocked, client_as):
    owner, project, line = stocked
    client = client_as("member", user=owner)
    response = client.post(bom_url(project, f"{line.pk}/allocate/"), {"quantity": "25"})
    assert response.status_code == 409 and response.data["available"] == "20"
    assert BomLine.objects.get(pk=line.pk).allocated_quantity == 0
    assert not StockMovement.objects.filter(kind="allocate").exists()


def test_returning_more_than_allocated_is_refused_through_the_api_and_the_page(stocked, client_as, client):
    owner, project, line = stocked
    services.allocate_bom_line(owner, line, "4")
    api = client_as("member", user=owner)
    response = api.post(bom_url(project, f"{line.pk}/return/"), {"quantity": "5"})
    assert response.status_code == 409 and "at most" in response.data["detail"]
    client.force_login(owner)
    page = client.post(f"/projects/{project.pk}/act/return/", {"line": line.pk, "quantity": "5"})
    assert page.status_code == 409 and b"Only 4 pcs are allocated" in page.content
    assert BomLine.objects.get(pk=line.pk).allocated_quantity == 4
    assert StockItem.objects.get(material=line.material).allocated == Decimal(4)


def test_a_line_allocates_no_more_than_it_still_needs(stocked):
    owner, project, line = stocked
    BomLine.objects.filter(pk=line.pk).update(required_quantity=10)
    with pytest.raises(Conflict, match="needs only 10"):
        services.allocate_bom_line(owner, BomLine.objects.get(pk=line.pk), "11")


def test_requirements_put_critical_shortages_first_and_export_as_csv(stocked, client_as, make_user):
    owner, project, line = stocked
    plenty = MaterialFactory(name="Plenty", unit="g", cost_per_unit="0.01")
    inventory.receive_stock(make_user("operator"), plenty, "1000", location=LocationFactory(kind="shelf"))
    services.add_bom_line(owner, project, material=plenty, required_quantity="100")
    scarce = MaterialFactory(name="Scarce", unit="m")
    services.add_bom_line(owner, project, material=scarce, required_quantity="2")
    client = client_as("member", user=owner)
    report = client.get(bom_url(project, "requirements/")).data
    names = [row["material_name"] for row in report["lines"]]
    assert names == [line.material.name, "Scarce", "Plenty"]
    first = report["lines"][0]
    assert (first["required"], first["available"], first["shortage"], first["cost"]) == ("30", "20", "10", "15.00")
    assert report["critical_shortages"] == 1 and report["shortages"] == 2
    csv = client.get(bom_url(project, "export.csv"))
    text = b"".join(csv.streaming_content).decode()
    assert csv["Content-Type"] == "text/csv"
    assert text.splitlines()[0].startswith("sku,material_name,unit,critical,required")
    assert "Scarce" in text.splitlines()[2]


def test_a_line_with_allocated_stock_cannot_be_removed(stocked, client_as):
    owner, project, line = stocked
    services.allocate_bom_line(owner, line, "1")
    response = client_as("member", user=owner).delete(bom_url(project, f"{line.pk}/"))
    assert response.status_code == 409
    services.return_bom_line(owner, BomLine.objects.get(pk=line.pk), "1")
    assert client_as("member", user=owner).delete(bom_url(project, f"{line.pk}/")).status_code == 204


def test_the_same_material_twice_on_a_bom_is_a_conflict(stocked):
    owner, project, line = stocked
    with pytest.raises(Conflict):
        services.add_bom_line(owner, project, material=line.material, required_quantity="1")


def test_the_bom_list_runs_the_same_queries_for_one_line_and_many(stocked, client_as):
    from core.testing import count_queries

    owner, project, line = stocked
    client = client_as("member", user=owner)
    one, _ = count_queries(client, bom_url(project))
    for _ in range(6):
        services.add_bom_line(owner, project, material=MaterialFactory(), required_quantity="1")
    many, response = count_queries(client, bom_url(project))
    assert response.data["count"] == 7 and one == many
