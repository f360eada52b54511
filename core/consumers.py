"""The one websocket endpoint, ``/ws/``.

Client messages:
``{"action": "auth", "token": "<JWT>"}`` or ``{"action": "auth", "api_key": "<key>"}``,
``{"action": "subscribe", "topic": "...", "after": <event id, optional>}``,
``{"action": "unsubscribe", "topic": "..."}`` and ``{"action": "ping"}``.

Server frames: events ``{"type", "topic", "data", "id", "at"}``, and the
control frames ``subscribed``, ``unsubscribed``, ``pong``, ``authenticated``
and ``error`` (``{"type": "error", "error": code, "detail": message}``).
"""
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import events, topics
from .wsauth import user_from_credentials


class SentEvents:
    """The positions already sent on one topic: all up to ``floor``, and the recent ones above it.

    Events reach a client live and, after a reconnect, from the backlog; both may bring the
    same one, and live ones may arrive slightly out of order, so "newer than the last" is not
    enough: each position is remembered until enough newer ones have gone by.
    """

    KEEP = 1000

    def __init__(self, floor: int):
        self.floor = floor
        self.recent: set[int] = set()

    def first_time(self, position: int) -> bool:
        """Whether ``position`` has not been sent yet (and remember it now)."""
        if position <= self.floor or position in self.recent:
            return False
        self.recent.add(position)
        if len(self.recent) > self.KEEP:
            oldest = sorted(self.recent)[: self.KEEP // 2]
            self.floor = oldest[-1]
            self.recent.difference_update(oldest)
        return True


class EventConsumer(AsyncJsonWebsocketConsumer):
    """Lets one client follow the topics it may see, with backfill after a reconnect."""

    async def connect(self):
        """Accept, then authenticate from the session cookie or a token in the query string."""
        self.user = self.scope.get("user")
        self.subscriptions: dict[str, SentEvents] = {}
        query = parse_qs(self.scope.get("query_string", b"").decode())
        token = (query.get("token") or [None])[0]
        api_key = (query.get("api_key") or [None])[0]
        await self.accept()
        if token or api_key:
            await self.authenticate(token=token, api_key=api_key)

    async def disconnect(self, code):
        """Leave every group this client joined."""
        for topic in list(self.subscriptions):
            await self.channel_layer.group_discard(topics.group_name(topic), self.channel_name)
        await self.leave_api_key_group()

    async def leave_api_key_group(self):
        key_id = getattr(self, "api_key_id", None)
        if key_id is not None:
            await self.channel_layer.group_discard(events.api_key_group(key_id), self.channel_name)
            self.api_key_id = None

    async def receive_json(self, content, **kwargs):
        """Dispatch one client message by its ``action``."""
        if not isinstance(content, dict):
            await self.error("bad_message", "Send a JSON object with an 'action'.")
            return
        action = content.get("action")
        if action == "ping":
            await self.send_json({"type": "pong"})
        elif action == "auth":
            await self.authenticate(token=content.get("token"), api_key=content.get("api_key"))
        elif action == "subscribe":
            await self.subscribe(content.get("topic"), content.get("after"))
        elif action == "unsubscribe":
            await self.unsubscribe(content.get("topic"))
        else:
            await self.error("bad_action", "Unknown action: use auth, subscribe, unsubscribe or ping.")

    async def authenticate(self, token=None, api_key=None):
        """Replace the connection's user with the owner of a JWT or an API key."""
        user = await database_sync_to_async(user_from_credentials)(token=token, api_key=api_key)
        if user is None:
            await self.error("unauthenticated", "That token or API key is not valid.")
            return
        self.user = user
        await self.leave_api_key_group()
        key = getattr(user, "api_key", None)
        if key is not None:
            # Revoking the key closes this socket (see credentials_revoked), not only new requests.
            self.api_key_id = key.pk
            await self.channel_layer.group_add(events.api_key_group(key.pk), self.channel_name)
        await self.send_json({"type": "authenticated", "user": user.pk})

    async def subscribe(self, topic, after=None):
        """Join a topic the user may see; first send stored events newer than ``after``."""
        topic = topic if isinstance(topic, str) else ""
        allowed, reason = await database_sync_to_async(topics.may_subscribe)(self.user, topic)
        if not allowed:
            await self.error("forbidden", reason, topic=topic)
            return
        if after is not None and not (isinstance(after, int) and after >= 0):
            await self.error("bad_after", "'after' must be a non-negative event id.", topic=topic)
            return
        # Join first, then read the backlog: an event committed in between arrives both
        # ways, and SentEvents drops the second copy.
        self.subscriptions[topic] = SentEvents(after if after is not None else 0)
        await self.channel_layer.group_add(topics.group_name(topic), self.channel_name)
        if after is not None:
            for frame in await database_sync_to_async(events.backlog)(topic, after):
                await self.deliver(frame)
        await self.send_json({"type": "subscribed", "topic": topic})

    async def unsubscribe(self, topic):
        """Leave a topic."""
        if topic in self.subscriptions:
            del self.subscriptions[topic]
            await self.channel_layer.group_discard(topics.group_name(topic), self.channel_name)
        await self.send_json({"type": "unsubscribed", "topic": topic})

    async def event_message(self, message):
        """A published event arrives from the channel layer."""
        await self.deliver(message["event"])

    async def deliver(self, frame):
        """Send an event once, and only for topics still subscribed."""
        sent = self.subscriptions.get(frame["topic"])
        if sent is None or frame["id"] is None or not sent.first_time(frame["id"]):
            return
        await self.send_json(frame)

    async def credentials_revoked(self, message):
        """The API key this socket authenticated with was revoked: say so and close."""
        await self.error("revoked", "The API key of this connection was revoked.")
        await self.close(code=4401)

    async def error(self, code, detail, **extra):
        """Send an error frame; the connection stays open."""
        await self.send_json({"type": "error", "error": code, "detail": detail, **extra})
