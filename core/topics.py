"""Which websocket topics exist and who may see them.

A topic is ``name`` or ``name:argument`` (``scheduler``, ``device:12``,
``user:3``). Each app registers the names it publishes on, with a check
``(user, argument) -> bool``; a topic with no registered name is refused,
so nothing is ever broadcast to clients that did not ask for it.
"""
import re
from collections.abc import Callable

TOPIC_RE = re.compile(r"^(?P<name>[a-z][a-z0-9_-]{0,40})(?::(?P<arg>[A-Za-z0-9_.-]{1,80}))?$")

_checks: dict[str, Callable] = {}


def register(name: str, check: Callable) -> None:
    """Declare topic ``name``; ``check(user, argument)`` says whether ``user`` may subscribe."""
    _checks[name] = check


def parse(topic: str) -> tuple[str, str | None]:
    """Split a topic into name and argument; ValueError when it is malformed."""
    match = TOPIC_RE.match(topic or "")
    if not match:
        raise ValueError(f"'{topic}' is not a topic: use 'name' or 'name:argument' (letters, digits, _ . -).")
    return match["name"], match["arg"]


def group_name(topic: str) -> str:
    """The channel-layer group for a topic (group names allow no colon)."""
    name, arg = parse(topic)
    return f"topic.{name}" + (f".{arg}" if arg else "")


def may_subscribe(user, topic: str) -> tuple[bool, str]:
    """Whether ``user`` may subscribe to ``topic``, and a reason when not."""
    try:
        name, arg = parse(topic)
    except ValueError as exc:
        return False, str(exc)
    if not getattr(user, "is_authenticated", False):
        return False, "Log in (session, token or API key) before subscribing."
    check = _checks.get(name)
    if check is None:
        return False, f"There is no topic named '{name}'."
    if not check(user, arg):
        return False, f"You may not subscribe to '{topic}'."
    return True, ""


def followable(user) -> list[str]:
    """Every topic without an argument that ``user`` may follow (for feeds such as the dashboard)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(name for name, check in _checks.items() if _allows(check, user))


def _allows(check, user) -> bool:
    try:
        return bool(check(user, None))
    except (TypeError, ValueError):  # a check that only understands arguments
        return False


def anyone_logged_in(user, arg) -> bool:
    """Check for topics every logged-in user may follow."""
    return arg is None


def register_core_topics():
    """Topics owned by the platform itself."""
    register("system", anyone_logged_in)
    register("audit", lambda user, arg: arg is None and user.has_perm("core.view_auditentry"))
