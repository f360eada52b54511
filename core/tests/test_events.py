"""The recent-events store stays bounded."""
import pytest

from core import events
from core.models import Event
from core.tasks import prune_events

pytestmark = pytest.mark.django_db


def test_prune_keeps_the_newest(settings):
    for n in range(12):
        events.publish("system", "tick", {"n": n})
    settings.EVENTS_KEEP = 5
    assert prune_events.delay().get() == 7
    assert [e.data["n"] for e in Event.objects.all()] == [7, 8, 9, 10, 11]


def test_a_malformed_topic_is_a_programming_error():
    with pytest.raises(ValueError):
        events.publish("Bad Topic", "x", {})
