"""Websockets across a Redis outage: the socket stays open, rejoins its groups and gets what it missed.

Uses a private redis-server (core.tests.private_redis) that the test kills and restarts.
"""
import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from core import consumers

from .private_redis import private_redis  # noqa: F401 - a fixture
from .test_websocket import connect, publish, subscribe, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layers")]


@pytest.fixture
def layer_on_private_redis(private_redis, settings):  # noqa: F811
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {
        "hosts": [{"address": private_redis.url, **settings.CHANNEL_LAYER_CONNECTION}]}}}
    return private_redis


async def next_event(ws: WebsocketCommunicator, timeout: float) -> dict:
    """The next frame that carries an event, skipping none: control frames fail the test."""
    frame = await ws.receive_json_from(timeout=timeout)
    assert "id" in frame, frame
    return frame


async def test_events_published_while_redis_is_down_arrive_when_it_returns(make_user, layer_on_private_redis):
    redis = layer_on_private_redis
    _, token = await token_for(make_user)
    ws = await connect(token)
    await subscribe(ws, "system")
    assert (await ws.receive_json_from())["type"] == "subscribed"

    redis.stop()
    await publish("system", "lab.closed", {"while": "redis down"})  # stored; the live send fails quietly
    await asyncio.sleep(0.5)
    redis.start()  # empty: every group is gone
    print("MON", redis.command("CLIENT", "LIST"))

    assert (await next_event(ws, timeout=30))["type"] == "lab.closed"
    await publish("system", "lab.opened", {"while": "redis back"})
    print("KEYS", redis.command("INFO", "commandstats"))
    assert (await next_event(ws, timeout=5))["type"] == "lab.opened"
    await ws.send_json_to({"action": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.disconnect()


async def test_a_socket_whose_groups_vanished_joins_again_and_gets_the_missed_events(
        make_user, layer_on_private_redis, monkeypatch):
    """A Redis that restarts between two reads loses the groups without the socket's read failing."""
    monkeypatch.setattr(consumers, "MEMBERSHIP_CHECK_SECONDS", 0.5)
    redis = layer_on_private_redis
    _, token = await token_for(make_user)
    ws = await connect(token)
    await subscribe(ws, "system")
    assert (await ws.receive_json_from())["type"] == "subscribed"

    assert redis.command("FLUSHALL").startswith(b"+OK")
    await publish("system", "lab.closed", {})  # nobody is in the group now
    assert (await next_event(ws, timeout=5))["type"] == "lab.closed"
    await publish("system", "lab.opened", {})
    assert (await next_event(ws, timeout=5))["type"] == "lab.opened"
    await ws.disconnect()


async def test_subscribing_while_redis_is_down_still_answers_and_joins_later(make_user, layer_on_private_redis):
    redis = layer_on_private_redis
    _, token = await token_for(make_user)
    ws = await connect(token)
    redis.stop()
    await subscribe(ws, "system", after=0)
    assert (await ws.receive_json_from(timeout=5))["type"] == "subscribed"
    redis.start()
    await publish("system", "lab.opened", {})
    # Generous: under a loaded parallel run the restarted Redis and the next join retry can lag.
    assert (await next_event(ws, timeout=30))["type"] == "lab.opened"
    await ws.disconnect()
