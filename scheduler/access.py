"""Who may follow the scheduler's websocket topics."""
from accounts.roles import VIEWER, has_role
from core.parsing import as_id

from .models import PDU, Device


def may_follow_calendar(user, arg) -> bool:
    """Topic ``scheduler``: the whole booking calendar, for anyone with a role (viewers read it too)."""
    return arg is None and has_role(user, VIEWER)


def may_follow_device(user, arg) -> bool:
    """Topic ``device:<id>``: one existing device's bookings and changes, for anyone with a role."""
    device_id = as_id(arg)
    return device_id is not None and has_role(user, VIEWER) and Device.objects.filter(pk=device_id).exists()


def may_follow_pdu(user, arg) -> bool:
    """Topic ``pdu:<id>``: one PDU's outlet switches and states, for anyone with a role."""
    pdu_id = as_id(arg)
    return pdu_id is not None and has_role(user, VIEWER) and PDU.objects.filter(pk=pdu_id).exists()
