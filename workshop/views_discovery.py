"""The discovery page: serial ports and their probe, devices announced on the broker, adopt or ignore."""
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from accounts.roles import OPERATOR
from core.errors import DomainError
from core.pages import role_required
from inventory.models import Location

from .discovery.serial_ports import probe_port, serial_ports
from .models import DiscoveredDevice, RoomDevice
from .services.discovery import adopt_as_room_device, adopt_device, find_room, ignore_device, scan_for_devices


def _do(request):
    """Carry out the posted action; (message, error, status)."""
    action = request.POST.get("action")
    if action == "probe":
        result = probe_port(request.POST.get("port", ""), int(request.POST.get("baud") or 115200))
        if result["found"]:
            return f"{result['port']}: {result['firmware']} {result['version']}", "", 200
        return f"{result['port']}: no Marlin or GRBL answered", "", 200
    if action == "scan":
        return f"{scan_for_devices(request.user, 2.0)} announcements heard.", "", 200
    device = get_object_or_404(DiscoveredDevice, pk=request.POST.get("device") or 0)
    if action == "adopt":
        machine = adopt_device(request.user, device, name=request.POST.get("name", ""),
                               kind=request.POST.get("kind", "sensor"))
        return f"{device.name} adopted as the machine {machine.name}.", "", 200
    if action == "adopt_room":
        found = adopt_as_room_device(request.user, device, room=find_room(request.POST.get("room")),
                                     kind=request.POST.get("kind", ""), name=request.POST.get("name", ""),
                                     dimmable=request.POST.get("dimmable") == "on")
        return f"{device.name} adopted as {found.name} in {found.room.name}.", "", 200
    if action == "ignore":
        ignore_device(request.user, device)
        return f"{device.name} ignored.", "", 200
    return "", "Unknown action.", 400


@role_required(OPERATOR)
@require_http_methods(["GET", "POST"])
def discovery(request):
    """Ports and announced devices; each form calls the same service as the API, refusals shown in place."""
    message, error, status = "", "", 200
    if request.method == "POST":
        try:
            message, error, status = _do(request)
        except ValueError:
            error, status = "baud must be a number.", 400
        except DomainError as exc:
            error, status = exc.detail, exc.status_code
    return render(request, "workshop/discovery.html", {
        "ports": serial_ports(), "message": message, "error": error,
        "devices": DiscoveredDevice.objects.exclude(status=DiscoveredDevice.Status.IGNORED).select_related(
            "machine", "room_device__room"),
        "rooms": Location.objects.filter(kind="room").order_by("name"), "room_kinds": RoomDevice.Kind.choices,
    }, status=status)
