"""Pages that list things run the same number of queries for one row as for many."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/", "/scheduler/queue/", "/scheduler/mine/", "/scheduler/?view=week",
                                 "/scheduler/?view=day", "/inventory/", "/inventory/checkouts/overdue/"])
def test_a_page_costs_the_same_for_one_row_and_for_many(url, client, make_user):
    from inventory import services as inventory
    from inventory.tests.factories import AssetFactory
    from scheduler import services
    from scheduler.tests.factories import DeviceFactory, at

    operator = make_user("operator")
    member = make_user("member")

    def add(n):
        device = DeviceFactory()
        services.create_booking(member, device.pk, at(1, 9), at(1, 10))
        services.create_booking(operator, device.pk, at(1, 9), at(1, 11))
        asset = AssetFactory()
        inventory.check_out_asset(operator, asset, to_user=operator)

    add(0)
    client.force_login(operator)
    _queries(client, url)  # warm caches (content types, sessions)
    one = _queries(client, url)
    for n in range(1, 6):
        add(n)
    assert _queries(client, url) == one
