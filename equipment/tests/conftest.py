"""Fixtures of the equipment tests."""
from .gateway_helpers import gateway_connections

__all__ = ["gateway_connections"]
