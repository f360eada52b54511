"""The one websocket: authentication, topic rights, after-commit delivery, backfill.

Runs against the in-memory layer, and against channels-redis when REDIS_URL is set.
"""
import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from rest_framework_simplejwt.tokens import RefreshToken

from config.asgi import application
from core import events

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layers")]


@database_sync_to_async
def token_for(make_user, role="member"):
    user = make_user(role)
    return user, str(RefreshToken.for_user(user).access_token)


@database_sync_to_async
def publish(topic, type_, data, commit=True):
    if commit:
        with transaction.atomic():
            events.publish(topic, type_, data)
        return
    try:
        with transaction.atomic():
            events.publish(topic, type_, data)
            raise RuntimeError("roll back")
    except RuntimeError:
        pass


async def connect(token=None):
    path = "/ws/" + (f"?token={token}" if token else "")
    communicator = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://127.0.0.1")])
    connected, _ = await communicator.connect()
    assert connected
    if token:
        assert (await communicator.receive_json_from())["type"] == "authenticated"
    return communicator


async def subscribe(communicator, topic, **extra):
    await communicator.send_json_to({"action": "subscribe", "topic": topic, **extra})


async def test_ping_pong(make_user):
    _, token = await token_for(make_user)
    ws = await connect(token)
    await ws.send_json_to({"action": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.disconnect()


async def test_an_event_committed_after_subscribing_arrives(make_user):
    _, token = await token_for(make_user)
    ws = await connect(token)
    await subscribe(ws, "system")
    assert await ws.receive_json_from() == {"type": "subscribed", "topic": "system"}
    await publish("system", "lab.opened", {"summary": "doors open"})
    frame = await ws.receive_json_from(timeout=2)
    assert frame["type"] == "lab.opened"
    assert frame["topic"] == "system"
    assert frame["data"] == {"summary": "doors open"}
    assert isinstance(frame["id"], int) and frame["at"]
    await ws.disconnect()


async def test_an_event_from_a_rolled_back_transaction_never_arrives(make_user):
    _, token = await token_for(make_user)
    ws = await connect(token)
    await subscribe(ws, "system")
    await ws.receive_json_from()
    await publish("system", "lab.ghost", {}, commit=False)
    await publish("system", "lab.real", {})
    frame = await ws.receive_json_from(timeout=2)
    assert frame["type"] == "lab.real"  # the ghost would have come first
    assert await ws.receive_nothing(timeout=0.2)
    await ws.disconnect()


async def test_a_forbidden_topic_is_refused_and_gets_nothing(make_user):
    _, token = await token_for(make_user, "member")
    ws = await connect(token)
    await subscribe(ws, "audit")
    refusal = await ws.receive_json_from()
    assert refusal["type"] == "error" and refusal["error"] == "forbidden"
    await publish("audit", "audit.recorded", {"secret": True})
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_another_users_topic_is_refused(make_user):
    other, _ = await token_for(make_user)
    _, token = await token_for(make_user)
    ws = await connect(token)
    await subscribe(ws, f"user:{other.pk}")
    assert (await ws.receive_json_from())["error"] == "forbidden"
    await ws.disconnect()


async def test_unknown_and_malformed_topics_are_refused(make_user):
    _, token = await token_for(make_user)
    ws = await connect(token)
    await subscribe(ws, "nosuchthing")
    assert "no topic" in (await ws.receive_json_from())["detail"]
    await subscribe(ws, "bad topic!")
    assert (await ws.receive_json_from())["error"] == "forbidden"
    await ws.disconnect()


async def test_anonymous_clients_cannot_subscribe():
    ws = await connect()
    await subscribe(ws, "system")
    frame = await ws.receive_json_from()
    assert frame["error"] == "forbidden" and "Log in" in frame["detail"]
    await ws.disconnect()


async def test_auth_in_the_first_message_with_an_api_key(make_user):
    from accounts import services

    @database_sync_to_async
    def issue():
        user = make_user("member")
        return services.create_api_key(user, name="agent", user=user, role="member")[1]

    secret = await issue()
    ws = await connect()
    await ws.send_json_to({"action": "auth", "api_key": secret})
    assert (await ws.receive_json_from())["type"] == "authenticated"
    await ws.send_json_to({"action": "auth", "api_key": "bt_wrong"})
    assert (await ws.receive_json_from())["error"] == "unauthenticated"
    await ws.disconnect()


async def test_a_reconnecting_client_gets_what_it_missed_then_live_events(make_user):
    _, token = await token_for(make_user)
    ws = await connect(token)
    await subscribe(ws, "system")
    await ws.receive_json_from()
    await publish("system", "step.one", {})
    seen = (await ws.receive_json_from(timeout=2))["id"]
    await ws.disconnect()

    await publish("system", "step.two", {})  # while away
    await publish("system", "step.three", {})

    ws = await connect(token)
    await subscribe(ws, "system", after=seen)
    missed = [await ws.receive_json_from(timeout=2) for _ in range(2)]
    assert [f["type"] for f in missed] == ["step.two", "step.three"]
    assert (await ws.receive_json_from())["type"] == "subscribed"
    await publish("system", "step.four", {})
    assert (await ws.receive_json_from(timeout=2))["type"] == "step.four"
    await ws.disconnect()


async def test_bad_actions_get_an_error_frame_and_the_socket_stays_open(make_user):
    _, token = await token_for(make_user)
    ws = await connect(token)
    await ws.send_json_to({"action": "dance"})
    assert (await ws.receive_json_from())["error"] == "bad_action"
    await ws.send_json_to(["not", "an", "object"])
    assert (await ws.receive_json_from())["error"] == "bad_message"
    await ws.send_json_to({"action": "ping"})
    assert (await ws.receive_json_from())["type"] == "pong"
    await ws.disconnect()


@pytest.mark.full("redis")
async def test_the_redis_layer_is_in_use_in_full_mode(settings):
    from channels.layers import get_channel_layer

    assert type(get_channel_layer()).__name__ == "RedisChannelLayer"


async def test_an_event_published_early_and_committed_late_still_arrives_and_is_backfilled(make_user):
    """Ids follow publishing, positions follow commits: a long transaction's event is not skipped."""
    from core.models import Event

    _, token = await token_for(make_user)
    ws = await connect(token)
    await subscribe(ws, "system")
    await ws.receive_json_from()
    # Two transactions published in this order (ids low < high) and committed the other way round.
    low = await database_sync_to_async(Event.objects.create)(topic="system", type="slow.change", data={})
    high = await database_sync_to_async(Event.objects.create)(topic="system", type="fast.change", data={})
    await database_sync_to_async(events._send)([high])
    await database_sync_to_async(events._send)([low])
    frames = [await ws.receive_json_from(timeout=2) for _ in range(2)]
    assert [f["type"] for f in frames] == ["fast.change", "slow.change"]
    assert frames[0]["id"] < frames[1]["id"]
    await ws.disconnect()

    ws = await connect(token)  # a client that saw only the fast one gets the slow one on reconnect
    await subscribe(ws, "system", after=frames[0]["id"])
    assert (await ws.receive_json_from(timeout=2))["type"] == "slow.change"
    await ws.disconnect()


async def test_a_frame_that_came_live_and_from_the_backlog_is_sent_once(make_user):
    from core.consumers import SentEvents

    sent = SentEvents(floor=10)
    assert [sent.first_time(p) for p in (9, 12, 11, 12, 10, 13)] == [False, True, True, False, False, True]


async def test_revoking_an_api_key_closes_the_sockets_opened_with_it(make_user):
    from accounts import services

    @database_sync_to_async
    def key_for_operator():
        user = make_user("operator")
        key, secret = services.create_api_key(user, name="agent", user=user, role="operator")
        return user, key, secret

    user, key, secret = await key_for_operator()
    ws = WebsocketCommunicator(application, f"/ws/?api_key={secret}", headers=[(b"origin", b"http://127.0.0.1")])
    assert (await ws.connect())[0]
    assert (await ws.receive_json_from())["type"] == "authenticated"
    await subscribe(ws, "audit")
    assert (await ws.receive_json_from())["type"] == "subscribed"

    @database_sync_to_async
    def revoke():
        with transaction.atomic():
            services.revoke_api_key(user, key)

    await revoke()
    assert (await ws.receive_json_from(timeout=2))["error"] == "revoked"
    assert (await ws.receive_output(timeout=2)) == {"type": "websocket.close", "code": 4401}


async def test_a_frame_that_is_not_json_gets_an_error_frame_and_the_socket_stays_open(make_user):
    _, token = await token_for(make_user)
    ws = await connect(token)
    await ws.send_to(text_data="this is not json {")
    assert (await ws.receive_json_from())["error"] == "bad_message"
    await ws.send_to(text_data="[" * 5000)  # deeper than the decoder recurses
    assert (await ws.receive_json_from())["error"] == "bad_message"
    await ws.send_to(bytes_data=b"\x00\x01")
    assert (await ws.receive_json_from())["error"] == "bad_message"
    await ws.send_json_to({"action": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.disconnect()


async def test_authenticating_as_another_user_drops_the_topics_the_new_user_may_not_follow(make_user):
    operator, operator_token = await token_for(make_user, "operator")
    _, viewer_token = await token_for(make_user, "viewer")
    ws = await connect(operator_token)
    for topic in ("audit", "system", f"user:{operator.pk}"):
        await subscribe(ws, topic)
        assert (await ws.receive_json_from())["type"] == "subscribed"
    await ws.send_json_to({"action": "auth", "token": viewer_token})
    frames = [await ws.receive_json_from() for _ in range(3)]
    dropped = {frame["topic"] for frame in frames if frame["type"] == "unsubscribed"}
    assert dropped == {"audit", f"user:{operator.pk}"}
    assert frames[-1]["type"] == "authenticated"
    await publish(f"user:{operator.pk}", "booking.approved", {"private": True})
    await publish("audit", "audit.recorded", {"secret": True})
    await publish("system", "lab.opened", {})
    assert (await ws.receive_json_from(timeout=2))["type"] == "lab.opened"  # the others never came
    await ws.disconnect()


async def test_a_token_offered_as_a_subprotocol_authenticates_and_is_not_echoed(make_user):
    user, token = await token_for(make_user)
    ws = WebsocketCommunicator(application, "/ws/", headers=[(b"origin", b"http://127.0.0.1")],
                               subprotocols=["benchtop", f"bearer.{token}"])
    connected, subprotocol = await ws.connect()
    assert connected and subprotocol == "benchtop"
    assert await ws.receive_json_from() == {"type": "authenticated", "user": user.pk}
    await ws.disconnect()


@pytest.mark.full("redis")
async def test_an_idle_socket_stays_open_for_a_minute_on_redis_and_still_gets_events(make_user, caplog):
    """redis-py's 5 s socket timeout used to cut the layer's 5 s blocking pop: sockets dropped every 5 s."""
    import asyncio
    import logging

    caplog.set_level(logging.WARNING, logger="core.consumers")
    _, token = await token_for(make_user)
    ws = await connect(token)
    await subscribe(ws, "system")
    assert (await ws.receive_json_from())["type"] == "subscribed"
    await asyncio.sleep(60)
    assert await ws.receive_nothing(timeout=0.1)  # neither a close nor an error while idle
    await publish("system", "lab.opened", {"after": "a quiet minute"})
    frame = await ws.receive_json_from(timeout=5)
    assert frame["type"] == "lab.opened"
    assert "receive failed" not in caplog.text  # the layer's read never timed out on the way
    await ws.disconnect()
