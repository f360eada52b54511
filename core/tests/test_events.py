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


@pytest.mark.full("postgres")
@pytest.mark.django_db(transaction=True)
def test_positions_follow_commit_order_across_concurrent_transactions():
    """A transaction that publishes first but commits last gets the later position, so backfill finds it."""
    import threading

    from django.db import connection, transaction

    published, fast_done = threading.Event(), threading.Event()

    def slow():
        try:
            with transaction.atomic():
                events.publish("system", "slow.change", {})
                published.set()
                fast_done.wait(10)
        finally:
            connection.close()

    def fast():
        try:
            published.wait(10)
            with transaction.atomic():
                events.publish("system", "fast.change", {})
            fast_done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=slow), threading.Thread(target=fast)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    slow_event, fast_event = Event.objects.get(type="slow.change"), Event.objects.get(type="fast.change")
    assert slow_event.pk < fast_event.pk and slow_event.position > fast_event.position
    assert [frame["type"] for frame in events.backlog("system", fast_event.position)] == ["slow.change"]
