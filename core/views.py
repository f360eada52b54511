"""Platform pages and endpoints: health, dashboard."""
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import health, topics
from .models import Event


@never_cache
def health_view(request):
    """``GET /health``: each dependency's status and latency; 503 when a configured one is down."""
    healthy, checks = health.run_checks()
    broken = [name for name, check in checks.items() if check["status"] == "error"]
    return JsonResponse({"status": "ok" if healthy else "error", "broken": broken, "checks": checks},
                        status=200 if healthy else 503)


RECENT_ON_DASHBOARD = 30


@login_required
def dashboard(request):
    """The operator's start page: live events from the topics the user may follow."""
    followed = [*topics.followable(request.user), f"user:{request.user.pk}"]
    # Start the feed with the most recent events, then live ones: the page is never blank after a restart.
    older = Event.objects.filter(topic__in=followed, position__isnull=False).order_by("-position").values_list(
        "position", flat=True)
    start_after = (older[RECENT_ON_DASHBOARD - 1 : RECENT_ON_DASHBOARD].first() or 1) - 1
    return render(request, "core/dashboard.html", {"topics": followed, "start_after": start_after})
