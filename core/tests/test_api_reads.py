"""Reads cost what they need: no filter work without a filter, and a cheap count of a huge table."""
import pytest
from django.db import connection

from core import audit
from core.api import filters, pagination

pytestmark = pytest.mark.django_db


def test_a_list_without_filter_parameters_builds_no_filterset(client_as, make_user, monkeypatch):
    target = make_user()
    audit.record(target, "thing.one", target)
    audit.record(target, "thing.two", target)
    client = client_as("operator")
    built = []
    original = filters.FilterBackend.get_filterset_class

    def spy(self, view, queryset=None):
        built.append(view)
        return original(self, view, queryset)

    monkeypatch.setattr(filters.FilterBackend, "get_filterset_class", spy)
    everything = client.get("/api/audit/?page_size=10")
    assert everything.status_code == 200 and not built
    assert {"thing.one", "thing.two"} <= {row["action"] for row in everything.data["results"]}
    filtered = client.get("/api/audit/", {"action": "thing.two", "page_size": 10})
    assert built and [row["action"] for row in filtered.data["results"]] == ["thing.two"]
    refused = client.get("/api/audit/", {"since": "yesterday"})
    assert refused.status_code == 400  # a bad filter value is still refused with a message


@pytest.mark.full("postgres")
def test_a_whole_huge_table_is_counted_from_the_planner_estimate(make_user, monkeypatch):
    from accounts.models import User

    for n in range(3):
        make_user(username=f"counted-{n}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_user")
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'accounts_user'::regclass")
        estimate = cursor.fetchone()[0]
    exact = User.objects.count()
    assert pagination.CheapCountPaginator(User.objects.order_by("pk"), 10).count == exact  # small: counted
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", -1)  # every table counts as huge
    expected = estimate if estimate > -1 else exact  # -1: never analysed, so counted after all
    assert pagination.CheapCountPaginator(User.objects.order_by("pk"), 10).count == expected
    filtered = User.objects.filter(username__startswith="counted-").order_by("pk")
    assert pagination.CheapCountPaginator(filtered, 10).count == 3  # a filtered list is always exact
