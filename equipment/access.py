"""Who may follow the equipment app's websocket topics."""
from accounts.roles import MEMBER, has_role
from core.parsing import as_id

from .models import Machine


def may_follow_equipment(user, arg) -> bool:
    """Topic ``equipment``: states of every machine, for members and above."""
    return arg is None and has_role(user, MEMBER)


def may_follow_machine(user, arg) -> bool:
    """Topic ``machine:<id>``: one existing machine's state, telemetry and jobs, for members and above."""
    machine_id = as_id(arg)
    return machine_id is not None and has_role(user, MEMBER) and Machine.objects.filter(pk=machine_id).exists()
