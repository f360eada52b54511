"""Who is acting and from where, for the audit trail.

Services take the acting user as an argument; the IP address and the API
key in use are not the service's business, so the middleware puts them in
a context variable that ``core.audit`` reads. Celery tasks, commands and
websocket handlers run without it and are recorded as such.
"""
from contextvars import ContextVar
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    via: str = "web"


_current: ContextVar[RequestContext | None] = ContextVar("benchtop_request_context", default=None)


def current() -> RequestContext | None:
    """The context of the request being served, if any."""
    return _current.get()


def client_ip(meta) -> str | None:
    """The client's address; a proxy's X-Forwarded-For is trusted only for its first hop."""
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return meta.get("REMOTE_ADDR") or None


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
