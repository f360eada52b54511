"""The API's request throttles, keyed on the client address that Benchtop believes.

DRF's own throttles read X-Forwarded-For whenever it is present, and that header is written
by the client: rotating it would give every request a fresh allowance. These use
``core.context.client_ip``, which believes the header only from ``TRUSTED_PROXIES``.
"""
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from core.context import client_ip


class ClientIpMixin:
    def get_ident(self, request):
        """The client's address as the audit trail and login throttle see it."""
        return client_ip(request.META) or "unknown"


class AnonThrottle(ClientIpMixin, AnonRateThrottle):
    """The ``anon`` rate per client address, for requests without a login."""


class UserThrottle(ClientIpMixin, UserRateThrottle):
    """The ``user`` rate per user; a request without a login counts against its address."""
