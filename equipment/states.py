"""Machine states and the transitions between them.

The state of a machine is what the gateway last learned from it, moved only along
the edges below so that a stray report (a late "printing" after a cancel) cannot
jump a machine somewhere it could not be.
"""
from core.errors import Conflict

DISCONNECTED = "disconnected"
CONNECTING = "connecting"
IDLE = "idle"
PREPARING = "preparing"
PRINTING = "printing"
PAUSING = "pausing"
PAUSED = "paused"
RESUMING = "resuming"
COMPLETING = "completing"
COMPLETE = "complete"
CANCELLING = "cancelling"
CANCELLED = "cancelled"
ERROR = "error"
MAINTENANCE = "maintenance"

CHOICES = [(name, name.capitalize()) for name in (
    DISCONNECTED, CONNECTING, IDLE, PREPARING, PRINTING, PAUSING, PAUSED, RESUMING, COMPLETING, COMPLETE,
    CANCELLING, CANCELLED, ERROR, MAINTENANCE,
)]

# Losing the link or a fault can happen from anywhere; listed once here instead of on every row.
_ALWAYS = {DISCONNECTED, ERROR}
_READY = {IDLE, COMPLETE, CANCELLED}

TRANSITIONS = {
    DISCONNECTED: {CONNECTING, MAINTENANCE},
    CONNECTING: {IDLE},
    IDLE: {PREPARING, MAINTENANCE, IDLE},
    PREPARING: {PRINTING, PAUSING, CANCELLING},
    PRINTING: {PAUSING, COMPLETING, CANCELLING},
    PAUSING: {PAUSED, CANCELLING},
    PAUSED: {RESUMING, CANCELLING},
    RESUMING: {PRINTING, CANCELLING},
    COMPLETING: {COMPLETE},
    COMPLETE: {IDLE, PREPARING, MAINTENANCE},
    CANCELLING: {CANCELLED},
    CANCELLED: {IDLE, PREPARING, MAINTENANCE},
    ERROR: {CONNECTING, IDLE, MAINTENANCE},
    MAINTENANCE: {DISCONNECTED, IDLE},
}

ONLINE = {IDLE, PREPARING, PRINTING, PAUSING, PAUSED, RESUMING, COMPLETING, COMPLETE, CANCELLING, CANCELLED}
BUSY = {PREPARING, PRINTING, PAUSING, PAUSED, RESUMING, COMPLETING, CANCELLING}
READY = _READY


def may_move(current: str, target: str) -> bool:
    """Whether a machine in ``current`` may move to ``target``."""
    if target in _ALWAYS and current != target:
        return current != MAINTENANCE or target == DISCONNECTED
    return target in TRANSITIONS.get(current, set())


def check_move(current: str, target: str) -> None:
    """Raise Conflict (409) when ``current`` → ``target`` is not an allowed transition."""
    if not may_move(current, target):
        raise Conflict(f"A machine that is {current} cannot become {target}.", code="bad_transition",
                       state=current)
