"""The operator queue: pending and conflicting requests by device, each clash beside it."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.roles import OPERATOR
from core.errors import DomainError
from core.pages import role_required
from core.parsing import as_id

from . import services
from .models import Booking


def queue_context(results=None, error: str = "") -> dict:
    """Undecided bookings grouped by device; for each, the active bookings it overlaps."""
    now = timezone.now()
    undecided = list(Booking.objects.filter(status__in=[Booking.Status.PENDING, Booking.Status.CONFLICTING],
                                            end__gt=now).select_related("device", "user").order_by("device__name",
                                                                                                    "start"))
    others = []
    if undecided:
        others = list(Booking.objects.filter(
            status__in=Booking.ACTIVE, device_id__in={b.device_id for b in undecided},
            start__lt=max(b.end for b in undecided), end__gt=min(b.start for b in undecided),
        ).select_related("user"))
    groups = {}
    for booking in undecided:
        clashes = [o for o in others if o.device_id == booking.device_id and o.pk != booking.pk
                   and o.start < booking.end and o.end > booking.start]
        groups.setdefault(booking.device, []).append({"booking": booking, "clashes": clashes})
    return {"groups": list(groups.items()), "results": results or [], "error": error, "count": len(undecided)}


@role_required(OPERATOR)
def queue(request):
    """GET the queue; POST approves or rejects the ticked requests, with one reason, each on its own."""
    if request.method != "POST":
        return render(request, "scheduler/queue.html", queue_context())
    ids = [as_id(x) for x in request.POST.getlist("booking") if as_id(x)]
    decision = request.POST.get("decision", "")
    results, error = [], ""
    if not ids:
        error = "Tick at least one request."
    else:
        try:
            results = services.bulk_decide(request.user, ids, decision, request.POST.get("reason", "").strip())
        except DomainError as exc:
            error = exc.detail
    if not request.htmx:
        for r in results:
            (messages.success if r["ok"] else messages.error)(request, _line(r))
        if error:
            messages.error(request, error)
        return redirect("scheduler:queue")
    return render(request, "scheduler/_queue.html", queue_context([{**r, "line": _line(r)} for r in results], error))


def _line(result: dict) -> str:
    if result["ok"]:
        return f"Booking #{result['id']} is {result['status']}."
    return result["detail"]


