"""Who may follow the accounts app's websocket topics."""
from .roles import OPERATOR, has_role


def may_follow_user(user, arg) -> bool:
    """Topic ``user:<id>``: the user themselves, or an operator."""
    return arg is not None and (str(user.pk) == arg or has_role(user, OPERATOR))
