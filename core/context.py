"""Who is acting and from where, for the audit trail.

Services take the acting user as an argument; the IP address and the API
key in use are not the service's business, so the middleware puts them in
a context variable that ``core.audit`` reads. Celery tasks, commands and
websocket handlers run without it and are recorded as such.
"""
import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    via: str = "web"


_current: ContextVar[RequestContext | None] = ContextVar("benchtop_request_context", default=None)


def current() -> RequestContext | None:
    """The context of the request being served, if any."""
    return _current.get()


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(meta) -> str | None:
    """The client's address, used for login throttling and the audit trail.

    X-Forwarded-For is written by the client, so it is believed only when the request
    comes from a proxy listed in ``TRUSTED_PROXIES``; then the right-most hop that is not
    one of our proxies is the client.
    """
    remote = _address(meta.get("REMOTE_ADDR") or "")
    trusted = set(settings.TRUSTED_PROXIES)
    if remote is None or remote not in trusted:
        return remote
    hops = [_address(hop) for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if hop is None:
            return remote  # a malformed chain: fall back to the proxy's own address
        if hop not in trusted:
            return hop
    return remote


class use_context:
    """Context manager that sets the acting context for a block (commands, sockets, tests)."""

    def __init__(self, ip: str | None = None, via: str = "system"):
        self.value = RequestContext(ip=ip, via=via)

    def __enter__(self):
        self.token = _current.set(self.value)
        return self.value

    def __exit__(self, *exc):
        _current.reset(self.token)


class RequestContextMiddleware:
    """Stores the client IP of each request for the services it calls."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(RequestContext(ip=client_ip(request.META), via="web"))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


NAVIGATION = [
    ("Dashboard", "dashboard"),
    ("Bookings", "scheduler:calendar"),
    ("Inventory", "inventory:assets"),
    ("Projects", "projects:board"),
    ("Machines", "equipment:machines"),
    ("Meetings", "meetings:list"),
    ("Workflows", "workflows:timeline"),
]


def navigation(request):
    """Template context: the domain links that exist in this build."""
    links = []
    for label, name in NAVIGATION:
        try:
            links.append({"label": label, "url": reverse(name)})
        except NoReverseMatch:
            continue
    return {"navigation": links}
