"""Action items: review of proposals, completion, the overdue filter, through the API, pages and admin."""
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing import count_queries
from meetings import queries, services
from meetings.models import ActionItem

from .factories import ActionItemFactory, meeting_with

pytestmark = pytest.mark.django_db
API = "/api/meetings/action-items/"


def test_accepting_a_proposal_with_edits_opens_it(client_as):
    client = client_as("member")
    item = ActionItemFactory(meeting=meeting_with(client.user), status="proposed", task="recalibrate spectro")
    response = client.post(f"{API}{item.pk}/accept/", {"task": "Recalibrate the spectrometer", "due": "2026-12-04",
                                                      "priority": "high"}, format="json")
    assert response.status_code == 200, response.data
    assert (response.data["status"], response.data["task"], response.data["due"], response.data["priority"]) == (
        "open", "Recalibrate the spectrometer", "2026-12-04", "high")
    again = client.post(f"{API}{item.pk}/accept/", {}, format="json")
    assert again.status_code == 409 and "proposed" in again.data["detail"]


def test_done_stamps_completed_at_and_reopening_clears_it(client_as):
    client = client_as("member")
    item = ActionItemFactory(meeting=meeting_with(client.user))
    assert client.post(f"{API}{item.pk}/status/", {"status": "done"}, format="json").data["completed_at"]
    assert client.post(f"{API}{item.pk}/status/", {"status": "open"}, format="json").data["completed_at"] is None
    bad = client.post(f"{API}{item.pk}/status/", {"status": "finished"}, format="json")
    assert bad.status_code == 400 and "open, done or dropped" in bad.data["detail"]


def test_a_proposal_cannot_be_marked_done_before_it_is_accepted(make_user):
    user = make_user("member")
    item = ActionItemFactory(meeting=meeting_with(user), status="proposed")
    from core.errors import Conflict

    with pytest.raises(Conflict):
        services.set_item_status(user, item, "done")


def test_the_overdue_filter_lists_open_items_past_their_day(client_as):
    client = client_as("member")
    meeting = meeting_with(client.user)
    late = ActionItemFactory(meeting=meeting, due=timezone.localdate() - timedelta(days=2))
    ActionItemFactory(meeting=meeting, due=timezone.localdate() + timedelta(days=2))
    ActionItemFactory(meeting=meeting, due=timezone.localdate() - timedelta(days=2), status="dropped")
    rows = client.get(f"{API}?overdue=true").data["results"]
    assert [row["id"] for row in rows] == [late.pk] and rows[0]["overdue"] is True


def test_items_of_meetings_you_may_not_see_are_hidden(client_as):
    item = ActionItemFactory()
    client = client_as("member")
    assert client.get(f"{API}{item.pk}/").status_code == 404
    assert client.post(f"{API}{item.pk}/accept/", {}, format="json").status_code == 404


def test_the_item_list_runs_a_fixed_number_of_queries(client_as, make_user):
    client = client_as("member")
    meeting = meeting_with(client.user)
    ActionItemFactory(meeting=meeting, owner_user=make_user("member"))
    one, _ = count_queries(client, API)
    for _ in range(6):
        ActionItemFactory(meeting=meeting, owner_user=make_user("member"))
    many, response = count_queries(client, API)
    assert one == many and response.data["count"] == 7


def test_the_review_form_accepts_with_edits_and_drop_removes_from_the_minutes(client, make_user):
    user = make_user("member")
    meeting = meeting_with(user)
    item = ActionItemFactory(meeting=meeting, status="proposed", task="order glove")
    other = ActionItemFactory(meeting=meeting, status="proposed")
    client.force_login(user)
    prefix = f"item{item.pk}"
    response = client.post(reverse("meetings:item-accept", args=[item.pk]), {
        f"{prefix}-task": "Order nitrile gloves", f"{prefix}-owner_name": "Lena", f"{prefix}-due": "2026-12-04",
        f"{prefix}-priority": "medium"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.task, item.owner_name, item.due) == ("open", "Order nitrile gloves", "Lena",
                                                                   date(2026, 12, 4))
    client.post(reverse("meetings:item-status", args=[other.pk]), {"status": "dropped"})
    assert [i["task"] for i in queries.minutes(meeting)["action_items"]] == ["Order nitrile gloves"]
    refused = client.post(reverse("meetings:item-status", args=[item.pk]), {"status": "finished"})
    assert refused.status_code == 400 and "open, done or dropped" in refused.content.decode()


def test_the_admin_action_accepts_through_the_service(client, make_user):
    operator = make_user("operator")
    item = ActionItemFactory(status="proposed")
    done = ActionItemFactory(status="open")
    client.force_login(operator)
    client.post("/admin/meetings/actionitem/", {"action": "accept", "_selected_action": [item.pk, done.pk]})
    item.refresh_from_db()
    assert item.status == "open"
    from core.models import AuditEntry

    assert AuditEntry.objects.filter(action="action_item.accept", object_id=str(item.pk)).exists()
    assert ActionItem.objects.get(pk=done.pk).status == "open"
