"""The audit trail: recorded by services, filtered and exported by operators."""
import csv
import io

import pytest

from core import audit
from core.context import use_context
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_service_change_records_actor_fields_and_ip(client_as):
    client = client_as("member")
    client.patch("/api/auth/me/", {"display_name": "New Name"}, format="json", REMOTE_ADDR="192.0.2.10")
    entry = AuditEntry.objects.get(action="user.update_profile")
    assert entry.actor == client.user
    assert entry.actor_kind == "user"
    assert entry.ip == "192.0.2.10"
    assert entry.via == "web"
    assert entry.changes["display_name"][1] == "New Name"


def test_system_actions_are_recorded_as_system(make_user):
    user = make_user()
    with use_context(via="command"):
        entry = audit.record(None, "user.touch", user)
    assert entry.actor is None and entry.actor_kind == "system" and entry.via == "command"


def test_operators_filter_the_trail(client_as, make_user):
    target = make_user()
    audit.record(target, "thing.one", target, {"a": [1, 2]})
    audit.record(target, "thing.two", target, {"b": [1, 2]})
    client = client_as("operator")
    response = client.get("/api/audit/", {"action": "thing.two"})
    assert response.status_code == 200
    assert [row["action"] for row in response.data["results"]] == ["thing.two"]
    by_field = client.get("/api/audit/", {"field": "a"})
    assert [row["action"] for row in by_field.data["results"]] == ["thing.one"]


def test_the_trail_exports_as_csv(client_as, make_user):
    target = make_user()
    audit.record(target, "thing.exported", target, {"a": [1, 2]})
    response = client_as("operator").get("/api/audit/export.csv", {"action": "thing.exported"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1 and rows[0]["action"] == "thing.exported"


def test_the_list_runs_one_query_whatever_the_table_holds(client_as, make_user, django_assert_num_queries):
    """A cursor page is one indexed read: no COUNT(*) over a table that only grows."""
    client = client_as("operator")
    target = make_user()
    audit.record(target, "x", target)
    client.get("/api/audit/")  # warm the user's permission cache like every later request
    with django_assert_num_queries(1):
        client.get("/api/audit/", {"page_size": 1})
    for _ in range(30):
        audit.record(target, "x", target)
    with django_assert_num_queries(1):
        assert len(client.get("/api/audit/", {"page_size": 30}).data["results"]) == 30


def test_page_size_is_capped_at_500(client_as, make_user):
    target = make_user()
    AuditEntry.objects.bulk_create([AuditEntry(action="x", object_type="a.b", object_id="1") for _ in range(510)])
    response = client_as("operator").get("/api/audit/", {"page_size": 1000})
    assert len(response.data["results"]) == 500
    assert target  # the users exist so the queryset is realistic


def test_the_lean_list_answers_what_the_serializer_would(client_as, make_user):
    from core.api.audit import AuditEntryViewSet
    from core.testing import lean_list_unchanged

    target = make_user()
    audit.record(target, "thing.one", target, {"display_name": ["", "Zoë \u2028 ≠"], "n": [1, 2.5]})
    audit.record(None, "thing.two", target)
    client = client_as("operator")
    body = lean_list_unchanged(client, "/api/audit/", AuditEntryViewSet)
    assert b"thing.one" in body and b"thing.two" in body
    lean_list_unchanged(client, "/api/audit/?action=thing.two&page_size=1", AuditEntryViewSet)


def test_the_cursor_walks_the_trail_newest_first_without_gaps_or_repeats(client_as, make_user):
    target = make_user()
    for n in range(7):
        audit.record(target, f"step.{n}", target)
    client = client_as("operator")
    seen = []
    response = client.get("/api/audit/", {"page_size": 3})
    assert "count" not in response.data
    url = "/api/audit/?page_size=3"
    while url:
        page = client.get(url).data
        seen += [row["action"] for row in page["results"] if row["action"].startswith("step.")]
        url = page["next"]
    assert seen == [f"step.{n}" for n in reversed(range(7))]
