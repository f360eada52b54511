"""Middleware that pages need and API requests do not: skipped for paths under ``/api/``.

Each of Django's middleware costs a little on every request; on a small API answer (``auth/me/``)
the whole chain was about a third of the CPU. Static files (WhiteNoise), flash messages and
htmx request details serve pages only: no API view reads them, and the browsable API's pages
show no flash messages. Security headers, sessions, CSRF, authentication and CORS stay on for
every request.
"""
from django.contrib.messages.middleware import MessageMiddleware
from django_htmx.middleware import HtmxMiddleware
from whitenoise.middleware import WhiteNoiseMiddleware

API_PREFIX = "/api/"


class PagesOnly:
    """Mixin for a page middleware: requests under ``/api/`` go straight on to the next one.

    A subclass of the middleware itself (``Messages(PagesOnly, MessageMiddleware)``), so what
    checks for it (the admin's system checks) still finds it, and it keeps its sync/async modes.
    """

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        return super().__call__(request)


class StaticFiles(PagesOnly, WhiteNoiseMiddleware):
    """WhiteNoise: serves ``/static/``."""


class Messages(PagesOnly, MessageMiddleware):
    """Django's flash messages (``messages.success(...)`` on a page, shown on the next)."""


class Htmx(PagesOnly, HtmxMiddleware):
    """``request.htmx``: what htmx says about a request from a page."""
