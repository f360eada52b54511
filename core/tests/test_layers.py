"""The embedded mode's channel layer wakes a socket waiting in one thread for a send from another."""
import asyncio
import threading
import time

from asgiref.sync import async_to_sync

from core.layers import ThreadSafeInMemoryChannelLayer


def _receive_in_own_thread(layer, channel, got):
    """An event loop on its own thread (as the web server's), waiting for one message."""
    ready = threading.Event()

    async def wait():
        receiving = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0)  # the receive is now waiting on the channel's queue
        ready.set()
        message = await asyncio.wait_for(receiving, timeout=10)
        got.append((time.monotonic(), message))

    thread = threading.Thread(target=asyncio.run, args=(wait(),), daemon=True)
    thread.start()
    assert ready.wait(5)
    return thread


def test_a_group_send_from_another_thread_is_received_at_once():
    layer = ThreadSafeInMemoryChannelLayer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("topic.equipment", channel)
    got = []
    thread = _receive_in_own_thread(layer, channel, got)
    time.sleep(0.2)
    sent_at = time.monotonic()
    async_to_sync(layer.group_send)("topic.equipment", {"type": "event.message", "event": {"id": 1}})
    thread.join(timeout=15)
    assert got, "the message never arrived"
    arrived_at, message = got[0]
    # Channels' own in-memory layer leaves the receiver asleep until its 10 s timeout fires.
    assert arrived_at - sent_at < 1.0
    assert message == {"type": "event.message", "event": {"id": 1}}


def test_a_send_in_the_receivers_own_loop_is_direct_and_a_closed_socket_is_forgotten():
    layer = ThreadSafeInMemoryChannelLayer()

    async def scenario():
        channel = await layer.new_channel()
        receiving = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0)
        await layer.send(channel, {"type": "hello"})
        assert await asyncio.wait_for(receiving, 2) == {"type": "hello"}
        waiting = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0)
        assert channel in layer.receiving_loops
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
        return channel

    channel = asyncio.run(scenario())
    assert channel not in layer.receiving_loops
