"""Every change of equipment state goes through these functions (API, admin, pages, gateway, tasks, commands)."""
from .control import (
    connect_machine,
    current_booking,
    disconnect_machine,
    emergency_stop,
    emergency_stop_all,
    refusal,
    require_driver,
    send_command,
    set_maintenance,
)
from .jobs import cancel_job, finish_job, pause_job, record_progress, resume_job, start_job, upload_job
from .machines import connection_settings, create_machine, delete_machine, update_machine
from .safety import acknowledge_safety_event, raise_safety_event, resolve_safety_event, watchdog
from .telemetry import prune_telemetry, record_telemetry, series

__all__ = [
    "acknowledge_safety_event", "cancel_job", "connect_machine", "connection_settings", "create_machine",
    "current_booking", "delete_machine", "disconnect_machine", "emergency_stop", "emergency_stop_all",
    "finish_job", "pause_job", "prune_telemetry", "raise_safety_event", "record_progress", "record_telemetry",
    "refusal", "require_driver", "resolve_safety_event", "resume_job", "send_command", "series", "set_maintenance",
    "start_job",
    "update_machine", "upload_job", "watchdog",
]
