"""The API root: ``/api/`` lists each app's API (``/api/<app>/``, each an index of its own)
beside the platform's own lists, found from the URL map so a new app shows up by itself."""
import re

from django.urls import URLResolver, get_resolver
from rest_framework.routers import APIRootView

APP_API = re.compile(r"^api/([a-z][a-z0-9-]*)/$")


def app_apis() -> list[str]:
    """The apps mounted as ``api/<app>/`` in the URL map, in the order they are mounted."""
    return [APP_API.match(str(p.pattern)).group(1) for p in get_resolver().url_patterns
            if isinstance(p, URLResolver) and APP_API.match(str(p.pattern))]


class APIRoot(APIRootView):
    """Every app's API, then the platform's own lists (the audit trail)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        here = request.build_absolute_uri(request.path)  # /api/ (several routers name their root "api-root")
        apps = {app: f"{here}{app}/" for app in app_apis()}
        response.data = {**apps, **response.data}
        return response
