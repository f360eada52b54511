"""Fixtures of the equipment tests (defined beside the gateway helpers they use)."""
from .gateway_helpers import gateway_connections, marlin_online

__all__ = ["gateway_connections", "marlin_online"]
