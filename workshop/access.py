"""Who may follow the workshop app's websocket topics."""
from accounts.roles import MEMBER, OPERATOR, has_role
from core.parsing import as_id


def may_follow_workshop(user, arg) -> bool:
    """Topic ``workshop``: system warnings, discovered devices and voice commands, for operators."""
    return arg is None and has_role(user, OPERATOR)


def may_follow_room(user, arg) -> bool:
    """Topic ``room:<id>``: one room's device readings and alerts, for members and above."""
    from inventory.models import Location

    room_id = as_id(arg)
    return room_id is not None and has_role(user, MEMBER) and Location.objects.filter(pk=room_id).exists()
