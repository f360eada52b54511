"""A per-machine limit on live updates (the websocket gets at most N a second per machine)."""
import time


class Throttle:
    def __init__(self, per_second: float):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.last = 0.0

    def ready(self, now: float | None = None) -> bool:
        """True (and the clock restarts) when enough time has passed since the last update let through."""
        now = time.monotonic() if now is None else now
        if now - self.last >= self.interval:
            self.last = now
            return True
        return False
