"""Property: no sequence of ledger operations makes on-hand or available negative."""
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import Conflict
from inventory import services
from inventory.models import StockItem, StockMovement

from .factories import LocationFactory, MaterialFactory

operations = st.lists(
    st.tuples(st.sampled_from(["receive", "consume", "allocate", "release"]),
              st.decimals(min_value=Decimal("0.001"), max_value=Decimal("20"), places=3)),
    min_size=1, max_size=25,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_ledger_never_goes_negative_and_on_hand_is_the_ledger_sum(make_user, steps):
    operator = make_user("operator")
    material = MaterialFactory()
    shelf = LocationFactory(kind="shelf")
    services.receive_stock(operator, material, "1", location=shelf)
    for kind, qty in steps:
        try:
            if kind == "receive":
                services.receive_stock(operator, material, qty, location=shelf)
            else:
                getattr(services, f"{kind}_stock")(operator, material, qty, location=shelf)
        except Conflict:
            pass  # refusing a short request is the rule working
        item = StockItem.objects.get(material=material)
        assert item.quantity >= 0
        assert item.allocated >= 0
        assert item.available >= 0
        sums = StockMovement.objects.filter(stock_item=item).aggregate(h=Sum("on_hand_change"),
                                                                       a=Sum("allocated_change"))
        assert item.quantity == sums["h"]
        assert item.allocated == sums["a"]
