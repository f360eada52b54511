"""The booking form's note of linked devices: what a request for the chosen device books with it."""
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.roles import MEMBER
from core.pages import role_required
from core.parsing import as_id

from .services.linked import linked_devices


def linked_for(device) -> list[dict]:
    """The linked devices a request for ``device`` (a Device, an id or None) would book too."""
    pk = device.pk if hasattr(device, "pk") else as_id(device)
    return linked_devices(pk) if pk else []


@role_required(MEMBER)
@require_GET
def linked_hint(request):
    """The note under the device field, swapped in when another device is chosen (``?device=<id>``)."""
    return render(request, "scheduler/_linked_hint.html", {"linked": linked_for(request.GET.get("device"))})
