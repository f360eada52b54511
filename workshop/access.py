"""Who may follow the workshop app's websocket topics."""
from accounts.roles import OPERATOR, has_role


def may_follow_workshop(user, arg) -> bool:
    """Topic ``workshop``: system warnings, discovered devices and voice commands, for operators."""
    return arg is None and has_role(user, OPERATOR)
