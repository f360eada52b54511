"""Platform pages and endpoints: health, dashboard."""
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import health
from .models import Event


@never_cache
def health_view(request):
    """``GET /health``: each dependency's status and latency; 503 when a configured one is down."""
    healthy, checks = health.run_checks()
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


@login_required
def dashboard(request):
    """The operator's start page: live events from the topics the user may follow."""
    topics = ["system", f"user:{request.user.pk}"]
    if request.user.has_perm("core.view_auditentry"):
        topics.append("audit")
    last_id = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return render(request, "core/dashboard.html", {"topics": topics, "last_event_id": last_id})
