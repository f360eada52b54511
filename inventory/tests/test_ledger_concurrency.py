"""Stock never goes negative when many clients consume at once (PostgreSQL row locks)."""
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Sum

from core.errors import Conflict
from inventory import services
from inventory.models import Material, StockItem, StockMovement

from .factories import LocationFactory, MaterialFactory


@pytest.mark.full("postgres")
@pytest.mark.django_db(transaction=True)
def test_100_concurrent_consumptions_of_50_units_give_50_successes_and_zero_left(make_user):
    operator, member = make_user("operator"), make_user("member")
    material = MaterialFactory(unit="pcs")
    shelf = LocationFactory(kind="shelf")
    services.receive_stock(operator, material, "50", location=shelf)

    def consume(_):
        try:
            fresh = Material.objects.get(pk=material.pk)
            services.consume_stock(member, fresh, "1", location=shelf, reason="race")
            return "ok"
        except Conflict as exc:
            assert exc.extra["available"] == "0"
            return "short"
        finally:
            connections.close_all()

    # 20 connections at a time: the test server is shared, its connection limit is not ours alone.
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(consume, range(100)))

    assert connection.vendor == "postgresql"
    assert results.count("ok") == 50
    assert results.count("short") == 50
    item = StockItem.objects.get(material=material)
    assert item.quantity == 0
    ledger = StockMovement.objects.filter(material=material).aggregate(s=Sum("on_hand_change"))["s"]
    assert ledger == Decimal(0)
    assert StockMovement.objects.filter(material=material, kind="consume").count() == 50


@pytest.mark.full("postgres")
@pytest.mark.django_db(transaction=True)
def test_opposite_concurrent_transfers_do_not_deadlock(make_user):
    operator = make_user("operator")
    material = MaterialFactory()
    a, b = LocationFactory(kind="shelf"), LocationFactory(kind="shelf")
    services.receive_stock(operator, material, "100", location=a)
    services.receive_stock(operator, material, "100", location=b)

    def move(i):
        try:
            src, dst = (a, b) if i % 2 else (b, a)
            services.transfer_stock(operator, Material.objects.get(pk=material.pk), "1", from_location=src,
                                    to_location=dst)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(move, range(40)))
    total = StockItem.objects.filter(material=material).aggregate(s=Sum("quantity"))["s"]
    assert total == 200


@pytest.mark.full("postgres")
@pytest.mark.django_db(transaction=True)
def test_crossing_location_moves_never_make_a_cycle(make_user):
    """X under Y and Y under X at the same moment: one wins, the other is refused."""
    from core.errors import RuleViolation
    from inventory.models import Location

    operator = make_user("operator")
    site = LocationFactory(name="Site", kind="site")
    x, y = LocationFactory(name="X", parent=site), LocationFactory(name="Y", parent=site)

    def move(pair):
        child, parent = pair
        try:
            services.update_location(operator, Location.objects.get(pk=child.pk),
                                     parent=Location.objects.get(pk=parent.pk))
            return "moved"
        except RuleViolation:
            return "refused"
        finally:
            connections.close_all()

    for _ in range(5):
        Location.objects.filter(pk__in=[x.pk, y.pk]).update(parent=site)
        for node in (x, y):
            services.update_location(operator, Location.objects.get(pk=node.pk), parent=site)
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = sorted(pool.map(move, [(x, y), (y, x)]))
        assert results == ["moved", "refused"]
        x_now, y_now = Location.objects.get(pk=x.pk), Location.objects.get(pk=y.pk)
        assert not (x_now.parent_id == y.pk and y_now.parent_id == x.pk)
