"""Room pages: each room's lights, fans, air filters and sensors, switched here, readings live."""
from datetime import timedelta

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import MEMBER
from core.errors import DomainError
from core.events import latest_position
from core.pages import role_required
from inventory.models import Location

from .models import RoomDevice, RoomReading
from .services.rooms import dim_device, switch_device

member_required = role_required(MEMBER)


@member_required
@require_GET
def rooms(request):
    """Rooms that have devices, with each device's latest state."""
    with_devices = (Location.objects.filter(room_devices__isnull=False).distinct().order_by("full_name")
                    .prefetch_related(Prefetch("room_devices", queryset=RoomDevice.objects.order_by("kind", "name"))))
    return render(request, "workshop/rooms.html", {"rooms": with_devices})


def _series(room) -> dict:
    """The last 24 hours of each sensor reading in the room, for the charts: {reading: [[iso time, value]]}."""
    since = timezone.now() - timedelta(hours=24)
    series: dict[str, list] = {}
    for reading in RoomReading.objects.filter(device__room=room, at__gte=since).select_related("device")[:5000]:
        for name, value in reading.values.items():
            series.setdefault(f"{reading.device.name} {name}", []).append([reading.at.isoformat(), value])
    return series


@member_required
@require_http_methods(["GET", "POST"])
def room(request, pk):
    """One room: switch or dim its devices (the same services as voice and the API), readings follow live."""
    place = get_object_or_404(Location, pk=pk)
    error, status = "", 200
    if request.method == "POST":
        device = get_object_or_404(RoomDevice, pk=request.POST.get("device") or 0, room=place)
        try:
            if request.POST.get("action") == "dim":
                dim_device(request.user, device, level=int(request.POST.get("level", "")))
            else:
                switch_device(request.user, device, on=request.POST.get("action") == "on")
        except ValueError:
            error, status = "level must be a whole number from 0 to 100.", 400
        except DomainError as exc:
            error, status = exc.detail, exc.status_code
    topic = f"room:{place.pk}"
    live_after = latest_position(topic)  # before the devices and readings are read (see latest_position)
    return render(request, "workshop/room.html", {
        "room": place, "devices": list(place.room_devices.order_by("kind", "name")), "error": error,
        "series": _series(place), "topic": topic, "live_after": live_after,
    }, status=status)
