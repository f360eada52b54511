"""Signals the gateway sends so other apps can run beside it without the gateway knowing them.

``gateway_started`` goes out when ``Gateway.run`` begins (``gateway=`` the running gateway,
whose ``halt`` event is set when it stops); ``gateway_stopped`` when it has shut its links.
The workshop's camera capture starts and stops on them.
"""
from django.dispatch import Signal

gateway_started = Signal()
gateway_stopped = Signal()
