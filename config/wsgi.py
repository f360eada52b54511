"""WSGI entry point (HTTP only; websockets need the ASGI one)."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
from core.handler import application as wsgi_application  # noqa: E402 - needs the settings module named

application = wsgi_application()
