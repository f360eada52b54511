"""Staff pages: system status (live warnings from the ``workshop`` topic)."""
from django.db.models import Max
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.roles import OPERATOR
from core.models import Event
from core.pages import role_required

from .services.system import system_status

operator_required = role_required(OPERATOR)


def _last_event(topic: str) -> int:
    return Event.objects.filter(topic=topic).aggregate(last=Max("position"))["last"] or 0


@operator_required
@require_GET
def system(request):
    """The host, the services, the queues, the gateway and each machine's connection, as of now."""
    return render(request, "workshop/system.html", {"status": system_status(request.user),
                                                    "live_after": _last_event("workshop")})
