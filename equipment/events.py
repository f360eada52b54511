"""Event types the equipment app publishes on the bus.

Machine events go to ``equipment`` (the machine list) and ``machine:<id>`` (the
machine page); ``data`` carries ``machine`` (its id) and what changed.
"""

MACHINE_CHANGED = "machine.changed"
"""A machine was added or its settings changed (never its secrets)."""

MACHINE_DELETED = "machine.deleted"
"""A machine was removed."""

MACHINE_STATE = "machine.state"
"""The machine moved to another state (``data.state``, ``data.previous``, ``data.reason``)."""

TELEMETRY = "machine.telemetry"
"""A live reading: temperatures, position, progress, sensor values (at most a few a second per machine)."""

COMMAND_QUEUED = "machine.command_queued"
"""A command was accepted and queued for the gateway."""

COMMAND_DONE = "machine.command_done"
"""The gateway carried out a command (``data.status`` done or failed, ``data.response``)."""

JOB_QUEUED = "job.queued"
"""A G-code file was uploaded into the machine's queue."""

JOB_CHANGED = "job.changed"
"""A job started, paused, resumed, was cancelled, interrupted, completed or failed (``data.status``)."""

JOB_PROGRESS = "job.progress"
"""The machine acknowledged more lines of the running job (``data.progress`` in percent)."""

SAFETY_RAISED = "safety.raised"
"""A safety event was raised (``data.level``: info, warning, critical or emergency)."""

SAFETY_CHANGED = "safety.changed"
"""A safety event was acknowledged or resolved."""

EMERGENCY_STOP = "machine.emergency_stop"
"""Someone stopped a machine (or all of them) at once."""
