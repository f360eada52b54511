"""ASGI entry point: HTTP through Django, websockets through Channels.

HTTP first passes the gateway checks (body size, who may read /metrics); request paths
are logged with credentials redacted.
"""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402 - needs Django set up first
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from core import logredact  # noqa: E402
from core.gateway import MetricsGuard, RequestSizeLimit  # noqa: E402
from core.routing import websocket_urlpatterns  # noqa: E402

logredact.install()

application = ProtocolTypeRouter(
    {
        "http": MetricsGuard(RequestSizeLimit(django_asgi_app)),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
