"""Analytics: meetings per week, items by status, completion rate, overdue, median days to close."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem

from .factories import ActionItemFactory, meeting_with

pytestmark = pytest.mark.django_db


def test_figures_count_what_the_user_may_see(client_as):
    client = client_as("member")
    meeting = meeting_with(client.user)
    now = timezone.now()
    ActionItemFactory(meeting=meeting, status="done", completed_at=now)
    ActionItemFactory(meeting=meeting, status="open", due=timezone.localdate() - timedelta(days=1))
    ActionItemFactory(meeting=meeting, status="proposed")
    ActionItemFactory(status="done", completed_at=now)  # someone else's meeting
    ActionItem.objects.filter(status="done").update(created_at=now - timedelta(days=2))
    figures = client.get("/api/meetings/analytics/").data
    assert figures["action_items_by_status"] == {"proposed": 1, "open": 1, "done": 1, "dropped": 0}
    assert figures["completion_rate"] == 0.5 and figures["overdue"] == 1
    assert figures["median_days_to_close"] == pytest.approx(2.0, abs=0.01)
    assert figures["meetings"] == 1 and sum(w["count"] for w in figures["meetings_per_week"]) == 1


def test_the_analytics_page_draws_its_charts_without_scripts_from_elsewhere(client, make_user):
    user = make_user("member")
    ActionItemFactory(meeting=meeting_with(user))
    client.force_login(user)
    page = client.get(reverse("meetings:analytics")).content.decode()
    assert page.count('<svg class="chart"') == 2 and "http" not in page.split("<main>")[1].split("</main>")[0]
