"""Event types the workshop app publishes on the ``workshop`` topic."""

SYSTEM_WARNING = "system.warning"
"""A check of the host or a service crossed its limit (``data.check``, ``data.summary``, ``data.value``)."""

SYSTEM_RECOVERED = "system.recovered"
"""A check that warned before is back within its limit (``data.check``, ``data.summary``)."""

VOICE_COMMAND = "voice.command"
"""A spoken or typed command was carried out (``data.intent``, ``data.summary``)."""

DEVICE_DISCOVERED = "device.discovered"
"""A device announced itself on the broker and waits for an operator to adopt it (``data.key``)."""

DEVICE_ADOPTED = "device.adopted"
"""An operator adopted a discovered device as a machine (``data.machine``)."""

DEVICE_ADOPTED_IN_ROOM = "device.adopted_in_room"
"""An operator adopted a discovered device as a room's light, fan, air filter or sensor (``data.room_device``)."""

ROOM_READING = "room.reading"
"""A room device reported: power, dimmer level or sensor values (``data.device``, ``data.values``)."""

ROOM_ALERT = "room.alert"
"""A room crossed a limit: too hot, VOC high, a fan off while a laser runs (``data.kind``, ``data.summary``)."""

ROOM_ALERT_CLEARED = "room.alert_cleared"
"""A room reading is back within its limit."""
