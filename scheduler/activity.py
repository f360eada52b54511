"""How scheduler changes read in the activity feed ("requested Laser cutter Tue 1 Dec 2026 10:00–12:00")."""
from django.urls import reverse

from core.templatetags.benchtop import span

from .models import Booking, Device

VERBS = {
    "booking.create": "requested", "booking.approve": "approved", "booking.reject": "rejected",
    "booking.cancel": "cancelled", "booking.extend": "extended", "booking.conflict": "marked as conflicting",
    "booking.release": "released", "device.create": "added the device", "device.update": "changed the device",
    "device.delete": "removed the device", "device.maintenance": "planned maintenance on",
    "device.maintenance_cancel": "called off maintenance on", "favourite.add": "added to their devices",
    "favourite.remove": "took off their devices", "booking_series.create": "requested a repeating booking:",
}


def describe(entries) -> dict:
    """Phrase each entry; bookings show their device and time in the reader's zone."""
    ids = {int(e.object_id) for e in entries if e.object_type == "scheduler.booking" and e.object_id.isdigit()}
    bookings = Booking.objects.select_related("device").in_bulk(ids)
    device_ids = {int(e.object_id) for e in entries if e.object_type == "scheduler.device" and e.object_id.isdigit()}
    devices = Device.objects.in_bulk(device_ids)
    lines = {}
    for entry in entries:
        verb = VERBS.get(entry.action)
        if verb is None:
            continue
        if entry.object_type == "scheduler.booking" and int(entry.object_id) in bookings:
            b = bookings[int(entry.object_id)]
            lines[entry.pk] = (f"{verb} {b.device.name} {span(b.start, b.end)}",
                               reverse("scheduler:device", args=[b.device_id]))
        elif entry.object_type == "scheduler.device" and int(entry.object_id) in devices:
            lines[entry.pk] = (f"{verb} {devices[int(entry.object_id)].name}",
                               reverse("scheduler:device", args=[int(entry.object_id)]))
        else:
            lines[entry.pk] = f"{verb} {entry.object_repr}"
    return lines
