"""The power part of the device page: switching an outlet from a form, through the power service."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.errors import DomainError

from . import services


@login_required
@require_POST
def switch(request, pk: int, pdu_id: int, number: int, verb: str):
    """Switch an outlet feeding device ``pk``; the service's refusal or failure is shown on the device page."""
    try:
        outlet = services.switch_outlet(request.user, pdu_id, number, verb)
        messages.success(request, f"{outlet} is {outlet.state} (as the PDU reports).")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("scheduler:device", pk=pk)
