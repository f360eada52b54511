"""ASGI entry point: HTTP through Django's WSGI handler on a thread pool, websockets through Channels.

Every view here is synchronous. Django's own ASGI handler runs each request's sync code in a
thread of its own and hands it back to the event loop, which cost about half of a small API
request's CPU (``bench/bench_compare.py``); a2wsgi runs the WSGI handler on a fixed pool of
threads instead, so HTTP costs what it costs under a WSGI server, on the same port as ``/ws/``.
"""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_wsgi_app = get_wsgi_application()

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402 - needs Django set up first
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from core.routing import websocket_urlpatterns  # noqa: E402

# Requests served at once per process; each holds a database connection while it runs.
HTTP_THREADS = 8

application = ProtocolTypeRouter(
    {
        "http": WSGIMiddleware(django_wsgi_app, workers=HTTP_THREADS),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
