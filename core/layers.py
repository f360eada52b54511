"""The embedded mode's channel layer: Channels' in-memory layer, safe to send to from any thread.

In the embedded mode the gateway's threads (and Celery's eager tasks in request threads)
publish events into the same process's websockets. Channels' in-memory layer keeps one asyncio
queue per socket, owned by the event loop that serves it; a message put there from another
thread's loop lands in the queue but does not wake the waiting socket, which then sees it only
when its loop next wakes for something else (a ping, seconds later). Here a send from another
thread is handed to the loop that receives on that channel.
"""
import asyncio
import logging
import time
from copy import deepcopy

from channels.layers import InMemoryChannelLayer

log = logging.getLogger(__name__)


class ThreadSafeInMemoryChannelLayer(InMemoryChannelLayer):
    """In-memory layer whose sends reach a waiting receiver in another thread at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.receiving_loops: dict[str, asyncio.AbstractEventLoop] = {}

    async def receive(self, channel):
        """Wait for the next message of ``channel``, noting which event loop waits for it."""
        self.receiving_loops[channel] = asyncio.get_running_loop()
        try:
            return await super().receive(channel)
        except asyncio.CancelledError:
            # The socket closed (its consumer stops waiting): nothing receives on this channel now.
            self.receiving_loops.pop(channel, None)
            raise

    async def send(self, channel, message):
        """Put ``message`` on ``channel``: directly in the receiver's own loop, else through that loop."""
        loop = self.receiving_loops.get(channel)
        here = asyncio.get_running_loop()
        if loop is None or loop is here:
            return await super().send(channel, message)
        if loop.is_closed():
            self.receiving_loops.pop(channel, None)
            return await super().send(channel, message)
        item = (time.time() + self.expiry, deepcopy(message))
        loop.call_soon_threadsafe(self._put, channel, item)

    def _put(self, channel, item) -> None:
        """On the receiver's loop: queue one message (a full queue drops it, as a group send would)."""
        queue = self.channels.setdefault(channel, asyncio.Queue(maxsize=self.get_capacity(channel)))
        try:
            queue.put_nowait(item)
        except asyncio.QueueFull:
            log.warning("channel %s is full; a message was dropped", channel)

    async def flush(self):
        await super().flush()
        self.receiving_loops.clear()
