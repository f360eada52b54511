"""Who may follow the inventory's websocket topics."""
from accounts.roles import VIEWER, has_role
from core.parsing import as_id


def may_follow_inventory(user, arg) -> bool:
    """Topic ``inventory``: every user with a role (viewers read the inventory)."""
    return arg is None and has_role(user, VIEWER)


def may_follow_object(user, arg) -> bool:
    """Topics ``asset:<id>`` and ``material:<id>``: every user with a role, for an id."""
    return as_id(arg) is not None and has_role(user, VIEWER)
