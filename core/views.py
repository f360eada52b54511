"""Platform pages and endpoints: health, dashboard."""
import importlib

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import activity, health, topics


@never_cache
def health_view(request):
    """``GET /health``: each dependency's status and latency; 503 when a configured one is down."""
    healthy, checks = health.run_checks()
    broken = [name for name, check in checks.items() if check["status"] == "error"]
    return JsonResponse({"status": "ok" if healthy else "error", "broken": broken, "checks": checks},
                        status=200 if healthy else 503)


def _tiles(user) -> list[dict]:
    """Each app's dashboard counts (``<app>.dashboard.tiles(user)``), in the order apps are installed."""
    shown = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.dashboard")
        except ModuleNotFoundError:
            continue
        shown += module.tiles(user)
    return shown


def dashboard_context(request) -> dict:
    return {"tiles": _tiles(request.user), "feed": activity.feed(request.user),
            "topics": [*topics.followable(request.user), f"user:{request.user.pk}"]}


@login_required
def dashboard(request):
    """The start page: the counts that matter to the user's role, then what changed, newest first (live)."""
    return render(request, "core/dashboard.html", dashboard_context(request))


@login_required
def dashboard_part(request):
    """Only the live part of the dashboard, for htmx after a bus event."""
    return render(request, "core/_dashboard_live.html", dashboard_context(request))
