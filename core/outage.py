"""Remembering that Redis is down, so each request does not wait for it to fail again.

Redis is Benchtop's cache, channel layer and Celery broker; PostgreSQL holds the data. When
Redis is unreachable every caller would otherwise pay a connection attempt (and the client
library's retries) per call. A ``Breaker`` records the failure and, for ``pause`` seconds,
tells callers to take their fallback at once: the per-process cache, the stored event, the
outbox. After the pause one call tries Redis again.
"""
import logging
import threading
import time

log = logging.getLogger(__name__)


class Breaker:
    """The recent health of one external service, shared by every thread of a process."""

    def __init__(self, name: str, pause: float = 3.0):
        self.name = name
        self.pause = pause
        self._down_until = 0.0
        self._down_since: float | None = None
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        """Whether callers should skip the service for now (it failed less than ``pause`` seconds ago)."""
        return time.monotonic() < self._down_until

    def failed(self, error: BaseException) -> None:
        """Record a failure; the first one of an outage is logged as a warning."""
        with self._lock:
            now = time.monotonic()
            self._down_until = now + self.pause
            first = self._down_since is None
            if first:
                self._down_since = now
        if not first:
            log.debug("%s still unreachable: %s: %s", self.name, type(error).__name__, error, exc_info=error)
        else:
            log.warning("%s is unreachable (%s: %s); using the fallback until it returns",
                        self.name, type(error).__name__, error)

    def succeeded(self) -> None:
        """Record a success; the end of an outage is logged with its length."""
        if self._down_since is None:
            return
        with self._lock:
            since, self._down_since, self._down_until = self._down_since, None, 0.0
        if since is not None:
            log.warning("%s is back after %.1f s", self.name, time.monotonic() - since)

    @property
    def down(self) -> bool:
        """Whether the last call failed and no call has succeeded since."""
        return self._down_since is not None


redis = Breaker("Redis")
