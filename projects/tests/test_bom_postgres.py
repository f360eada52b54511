"""PostgreSQL: 100 people allocating 1 each from a stock of 50 get exactly 50 allocations."""
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Sum

from core.errors import Conflict
from inventory import services as inventory
from inventory.models import StockItem, StockMovement
from inventory.tests.factories import LocationFactory, MaterialFactory
from projects import services
from projects.models import BomLine


@pytest.mark.full("postgres")
@pytest.mark.django_db(transaction=True)
def test_100_concurrent_allocations_of_1_from_50_give_exactly_50(make_user):
    owner, operator = make_user("member"), make_user("operator")
    material = MaterialFactory(unit="pcs")
    shelf = LocationFactory(kind="shelf")
    inventory.receive_stock(operator, material, "50", location=shelf)
    project = services.create_project(owner, name="Race")
    line = services.add_bom_line(owner, project, material=material, required_quantity="100")

    def allocate(_):
        try:
            services.allocate_bom_line(owner, BomLine.objects.get(pk=line.pk), "1")
            return "ok"
        except Conflict as exc:
            assert exc.extra.get("available") == "0", exc.detail
            return "short"
        finally:
            connections.close_all()

    # 20 connections at a time: the test server is shared, its connection limit is not ours alone.
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(allocate, range(100)))

    assert connection.vendor == "postgresql"
    assert results.count("ok") == 50 and results.count("short") == 50
    assert BomLine.objects.get(pk=line.pk).allocated_quantity == 50
    item = StockItem.objects.get(material=material)
    assert (item.quantity, item.allocated) == (50, 50)
    ledger = StockMovement.objects.filter(material=material, reference_id=str(project.pk)).aggregate(
        s=Sum("allocated_change"))["s"]
    assert ledger == Decimal(50)
