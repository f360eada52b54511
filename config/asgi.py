"""ASGI entry point: HTTP through Django's WSGI handler on a thread pool, websockets through Channels.

Every view here is synchronous. Django's own ASGI handler runs each request's sync code in a
thread of its own and hands it back to the event loop, which cost about half of a small API
request's CPU (``bench/bench_compare.py``); ``core.wsgibridge`` runs the WSGI handler on a fixed
pool of threads instead, with one hand-off per request, so HTTP costs about what it costs under a
WSGI server, on the same port as ``/ws/``.
CSV exports (``*.csv``) still go through Django's ASGI handler: they stream their rows in
chunks as an async iterator (``core.api.mixins.csv_response``), which WSGI would buffer whole;
so do camera streams (``*.mjpg``, relayed for as long as someone watches without holding a thread).

Every HTTP request first passes the gateway checks (body size, who may read /metrics), and
request paths are logged with credentials redacted.
"""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from core.handler import application as wsgi_application  # noqa: E402 - after the settings module is named

django_wsgi_app = wsgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402 - needs Django set up first
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from core import logredact  # noqa: E402
from core.gateway import MetricsGuard, RequestSizeLimit  # noqa: E402
from core.routing import websocket_urlpatterns  # noqa: E402
from core.wsgibridge import ThreadedWSGI  # noqa: E402

logredact.install()

threaded_http = ThreadedWSGI(django_wsgi_app, workers=settings.HTTP_THREADS)


def http_app_for(path: str):
    """The handler of an HTTP request for ``path``: streamed exports by Django's ASGI handler, the rest threaded."""
    return django_asgi_app if path.endswith((".csv", ".mjpg")) else threaded_http


async def http(scope, receive, send):
    await http_app_for(scope["path"])(scope, receive, send)


application = ProtocolTypeRouter(
    {
        "http": MetricsGuard(RequestSizeLimit(http)),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
