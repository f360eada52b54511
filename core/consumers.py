"""The one websocket endpoint, ``/ws/``.

Client messages:
``{"action": "auth", "token": "<JWT>"}`` or ``{"action": "auth", "api_key": "<key>"}``
(re-authenticating re-checks every subscription for the new user),
``{"action": "subscribe", "topic": "...", "after": <event id, optional>}``,
``{"action": "unsubscribe", "topic": "..."}`` and ``{"action": "ping"}``.

Server frames: events ``{"type", "topic", "data", "id", "at"}``, and the
control frames ``subscribed``, ``unsubscribed``, ``pong``, ``authenticated``
and ``error`` (``{"type": "error", "error": code, "detail": message}``). A frame that is not
a JSON object gets an error frame; the connection stays open.

Credentials: the session cookie, the first ``auth`` message, or the subprotocols
``["benchtop", "bearer.<JWT>"]``; all keep the token out of URLs and access logs. The
``?token=`` / ``?api_key=`` query string still works (access logs redact it).

A Redis restart loses the channel layer's groups. Each socket checks its membership every
``MEMBERSHIP_CHECK_SECONDS`` and, after the layer failed or forgot it, joins again and sends
the stored events it missed, so a client never has to notice.
"""
import asyncio
import json
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import events, topics
from .wsauth import SUBPROTOCOL, token_from_subprotocols, user_from_credentials

log = logging.getLogger(__name__)

MEMBERSHIP_CHECK_SECONDS = 15
REJOIN_RETRY_SECONDS = 1


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

    # Channels assigns the layer's receive to ``channel_receive`` before it starts reading; this
    # property hands it the resilient version below instead (a dead Redis would end the socket).
    @property
    def channel_receive(self):
        return self.receive_from_layer

    @channel_receive.setter
    def channel_receive(self, layer_receive):
        self.layer_receive = layer_receive

    async def connect(self):
        """Accept, then authenticate from the session cookie, a subprotocol token or the query string."""
        self.user = self.scope.get("user")
        self.subscriptions: dict[str, SentEvents] = {}
        query = parse_qs(self.scope.get("query_string", b"").decode())
        subprotocols = self.scope.get("subprotocols") or []
        token = token_from_subprotocols(subprotocols) or (query.get("token") or [None])[0]
        api_key = (query.get("api_key") or [None])[0]
        await self.accept(subprotocol=SUBPROTOCOL if SUBPROTOCOL in subprotocols else None)
        self.watcher = asyncio.ensure_future(self.watch_membership())
        if token or api_key:
            await self.authenticate(token=token, api_key=api_key)

    async def disconnect(self, code):
        """Stop watching and leave every group this client joined."""
        watcher = getattr(self, "watcher", None)
        if watcher is not None:
            watcher.cancel()
        try:
            for topic in list(getattr(self, "subscriptions", {})):
                await self.channel_layer.group_discard(topics.group_name(topic), self.channel_name)
            await self.leave_api_key_group()
        except Exception as error:  # noqa: BLE001 - the groups expire on their own if Redis is down
            log.info("could not leave groups of a closed socket: %s", error)

    async def leave_api_key_group(self):
        key_id = getattr(self, "api_key_id", None)
        if key_id is not None:
            self.api_key_id = None
            await self.channel_layer.group_discard(events.api_key_group(key_id), self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Decode one client frame; anything but JSON text gets an error frame, and the socket stays open."""
        if text_data is None:
            await self.error("bad_message", "Send text frames holding a JSON object with an 'action'.")
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.error("bad_message", "That frame is not JSON: send a JSON object with an 'action'.")
            return
        await self.receive_json(content)

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
        """Replace the connection's user with the owner of a JWT or an API key.

        Subscriptions made as the previous user are checked again: those the new user may not
        follow are dropped (an ``unsubscribed`` frame with a ``reason`` says which).
        """
        token = token if isinstance(token, str) else None
        api_key = api_key if isinstance(api_key, str) else None
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
        for topic in list(self.subscriptions):
            allowed, reason = await database_sync_to_async(topics.may_subscribe)(user, topic)
            if not allowed:
                await self.leave(topic)
                await self.send_json({"type": "unsubscribed", "topic": topic, "reason": reason})
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
        # Without ``after`` the client wants only what comes next: remember where "next" starts,
        # so a backfill after a Redis outage does not resend older events.
        start = after if after is not None else await database_sync_to_async(events.latest_position)(topic)
        self.subscriptions[topic] = SentEvents(start)
        try:
            await self.channel_layer.group_add(topics.group_name(topic), self.channel_name)
        except Exception as error:  # noqa: BLE001 - Redis is down: the membership watcher joins later
            log.warning("could not join %s now (%s); joining when the channel layer returns", topic, error)
        if after is not None:
            for frame in await database_sync_to_async(events.backlog)(topic, after):
                await self.deliver(frame)
        await self.send_json({"type": "subscribed", "topic": topic})

    async def unsubscribe(self, topic):
        """Leave a topic."""
        await self.leave(topic)
        await self.send_json({"type": "unsubscribed", "topic": topic})

    async def leave(self, topic):
        if self.subscriptions.pop(topic, None) is not None:
            await self.channel_layer.group_discard(topics.group_name(topic), self.channel_name)

    async def receive_from_layer(self):
        """The next channel layer message; while the layer is unreachable, wait for it and join again.

        Returns a ``layer.rejoined`` message once back, whose handler sends what was missed.
        """
        try:
            return await self.layer_receive()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - Redis went away; the socket stays open
            log.warning("channel layer receive failed (%s: %s); joining again when it returns",
                        type(error).__name__, error)
        while True:
            await asyncio.sleep(REJOIN_RETRY_SECONDS)
            try:
                await self.rejoin()
            except Exception as error:  # noqa: BLE001 - still down
                log.debug("channel layer still unreachable: %s", error)
                continue
            return {"type": "layer.rejoined"}

    async def layer_rejoined(self, message):
        """The channel layer is back: send every stored event missed while it was away."""
        await self.backfill()

    async def watch_membership(self):
        """Every few seconds, check the layer still holds this socket's groups (a restarted Redis has none)."""
        while True:
            await asyncio.sleep(MEMBERSHIP_CHECK_SECONDS)
            try:
                if not await self.still_member():
                    log.info("channel layer lost the groups of %s; joining again", self.channel_name)
                    await self.rejoin()
                    await self.backfill()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - Redis down: receive_from_layer waits for it
                log.info("membership check failed: %s", error)

    async def still_member(self) -> bool:
        """Whether the layer still lists this socket in the group of its first subscription."""
        layer = self.channel_layer
        if not self.subscriptions or not hasattr(layer, "_group_key"):
            return True  # nothing to lose, or a layer that lives in this process
        group = topics.group_name(next(iter(self.subscriptions)))
        connection = layer.connection(layer.consistent_hash(group))
        return await connection.zscore(layer._group_key(group), self.channel_name) is not None

    async def rejoin(self):
        """Join the groups of every subscription (and of the API key) again."""
        for topic in list(self.subscriptions):
            await self.channel_layer.group_add(topics.group_name(topic), self.channel_name)
        key_id = getattr(self, "api_key_id", None)
        if key_id is not None:
            await self.channel_layer.group_add(events.api_key_group(key_id), self.channel_name)

    async def backfill(self):
        """Send the stored events of each subscription not sent yet (duplicates are dropped)."""
        for topic, sent in list(self.subscriptions.items()):
            for frame in await database_sync_to_async(events.backlog)(topic, sent.floor):
                await self.deliver(frame)

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
