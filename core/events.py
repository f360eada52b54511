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
from django.db import transaction

from . import topics
from .models import Event

log = logging.getLogger(__name__)


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


def _send(events: list[Event]) -> None:
    """Hand committed events to the channel layer; a down layer must not break the change."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    for event in events:
        message = {"type": "event.message", "event": event.as_message()}
        try:
            if running is not None:
                # Called from synchronous code inside an event loop's own thread: schedule, don't block it.
                running.create_task(layer.group_send(topics.group_name(event.topic), message))
            else:
                async_to_sync(layer.group_send)(topics.group_name(event.topic), message)
        except Exception:  # noqa: BLE001 - the change is committed; losing a live frame is recoverable by backfill
            log.exception("could not send event %s to the channel layer", event.pk)


def backlog(topic: str, after_id: int, limit: int = 500) -> list[dict]:
    """Stored events of ``topic`` newer than ``after_id``, oldest first."""
    rows = Event.objects.filter(topic=topic, id__gt=after_id).order_by("id")[:limit]
    return [event.as_message() for event in rows]


def prune(keep: int | None = None) -> int:
    """Delete all but the newest ``keep`` events; returns how many were deleted."""
    keep = settings.EVENTS_KEEP if keep is None else keep
    newest = Event.objects.order_by("-id").values_list("id", flat=True)[keep : keep + 1]
    cutoff = list(newest)
    if not cutoff:
        return 0
    deleted, _ = Event.objects.filter(id__lte=cutoff[0]).delete()
    return deleted
