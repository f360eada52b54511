"""The one event bus.

``publish(topic, type, data)`` stores the event with the caller's
transaction and sends it to websocket subscribers only after that
transaction commits: a rolled-back change never reaches a client. Stored
events let a reconnecting client ask for what it missed (see
``core.consumers``); ``prune`` keeps the store bounded.
"""
import asyncio
import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from . import topics
from .models import Event
from .outage import redis as redis_breaker

log = logging.getLogger(__name__)
_listeners = []  # called with each committed, numbered batch of events (see add_listener)


def add_listener(listener) -> None:
    """Call ``listener(events)`` after every committed batch is numbered (e.g. rules that start work on an event)."""
    _listeners.append(listener)


def publish(topic: str | list[str] | tuple[str, ...], type: str, data: dict) -> list[Event]:
    """Publish event ``type`` with ``data`` on one topic or several, after the current transaction commits."""
    names = [topic] if isinstance(topic, str) else list(topic)
    plain = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    events = []
    for name in names:
        topics.parse(name)  # a malformed topic is a programming error: fail loudly here
        events.append(Event.objects.create(topic=name, type=type, data=plain))
    transaction.on_commit(lambda: _send(events))
    return events


def _number(events: list[Event]) -> None:
    """Give committed events their positions, in commit order (the ``id`` clients see and ask ``after``).

    Ids are taken when a transaction publishes, which may be long before it commits; a client
    that has seen a later id would skip such an event. Positions are taken here, after commit.
    """
    if connection.vendor == "postgresql":
        next_position = "nextval('core_event_position_seq')"
    else:  # SQLite writes one at a time, so the next number is simply the largest plus one
        next_position = "(SELECT COALESCE(MAX(position), 0) + 1 FROM core_event)"
    update = f"UPDATE core_event SET position = {next_position} WHERE id = %s"
    # One round trip per event where the database can say what it wrote (PostgreSQL, newer SQLite).
    returning = connection.features.can_return_columns_from_insert
    with transaction.atomic(), connection.cursor() as cursor:
        for event in events:
            if returning:
                cursor.execute(update + " RETURNING position", [event.pk])
            else:
                cursor.execute(update, [event.pk])
                cursor.execute("SELECT position FROM core_event WHERE id = %s", [event.pk])
            event.position = cursor.fetchone()[0]


def _send(events: list[Event]) -> None:
    """Number committed events, then hand them to the channel layer; a failure must not break the change."""
    try:
        _number(events)
    except Exception:  # noqa: BLE001 - the change is committed; the event is stored but cannot be delivered
        log.exception("could not number events %s", [event.pk for event in events])
        return
    for event in events:
        _group_send(topics.group_name(event.topic), {"type": "event.message", "event": event.as_message()})
    for listener in _listeners:
        try:
            listener(events)
        except Exception:  # noqa: BLE001 - a listener's failure must not break the change or other listeners
            log.exception("event listener %r failed", listener)


def _group_send(group: str, message: dict) -> None:
    """Hand one message to a channel layer group; a down layer is logged, never raised.

    The event is stored either way, and sockets fetch what they missed when the layer returns.
    Every send is tried even while Redis is known to be down (a refused connection fails in a
    millisecond): a send skipped just after Redis came back would be lost to sockets that
    never noticed the outage.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    in_process = type(layer).__module__.startswith("channels.")
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    try:
        if running is not None:
            # Called from synchronous code inside an event loop's own thread: schedule, don't block it.
            running.create_task(layer.group_send(group, message))
        else:
            async_to_sync(layer.group_send)(group, message)
    except Exception as error:  # noqa: BLE001 - the change is committed; a lost live frame is recoverable by backfill
        if in_process:
            log.exception("could not send %s to channel layer group %s", message.get("type"), group)
        else:
            redis_breaker.failed(error)
    else:
        if not in_process:
            redis_breaker.succeeded()


def api_key_group(key_id: int) -> str:
    """The channel layer group of the websockets opened with one API key."""
    return f"api-key.{key_id}"


def close_sockets_of_api_key(key_id: int) -> None:
    """Once the current transaction commits, close every websocket opened with that API key (it was revoked)."""
    transaction.on_commit(lambda: _group_send(api_key_group(key_id), {"type": "credentials.revoked"}))


def backlog(topic: str, after: int, limit: int = 500) -> list[dict]:
    """Committed events of ``topic`` after position ``after``, in commit order; the newest ``limit`` of them.

    A page that opens with ``after`` 0, or a client back after a long absence, wants what
    happened last, not the oldest stored events.
    """
    rows = Event.objects.filter(topic=topic, position__gt=after).order_by("-position")[:limit]
    return [event.as_message() for event in reversed(rows)]


def latest_position(*topics: str) -> int:
    """The position of the newest committed event of ``topics`` (0 when there is none).

    A page that follows topics live takes this *before* it reads what it shows: an event
    committed in between then comes to the page (at worst twice, which pages shrug off) instead
    of being skipped as already seen while the page shows the older state.
    """
    newest = Event.objects.filter(topic__in=topics, position__isnull=False).order_by("-position")
    return newest.values_list("position", flat=True).first() or 0


def prune(keep: int | None = None) -> int:
    """Delete all but the newest ``keep`` events; returns how many were deleted."""
    keep = settings.EVENTS_KEEP if keep is None else keep
    newest = Event.objects.order_by("-id").values_list("id", flat=True)[keep : keep + 1]
    cutoff = list(newest)
    if not cutoff:
        return 0
    deleted, _ = Event.objects.filter(id__lte=cutoff[0]).delete()
    return deleted
