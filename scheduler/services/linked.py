"""Devices that bring their links along: a request for one books the devices its port links lead to.

A device with ``books_linked_devices`` set cannot be used without what it is cabled to (a
server behind its switch port, an antenna behind its radio), so a plain request for it becomes
one group over the device and the devices at the far end of its links, all or nothing.
"""
from datetime import datetime

from core.errors import Conflict

from .. import queries
from ..models import Device, LinkEnd
from .common import check_device_open, describe


def linked_devices(device: Device | int) -> list[dict]:
    """The devices a request for ``device`` also books: ``[{"device", "port", "far_port", "link_type"}]``.

    Empty unless the device has ``books_linked_devices`` set. One entry per far device (a device
    cabled twice is booked once; the first link by port name is the one named).
    """
    device_id = device.pk if isinstance(device, Device) else device
    if not Device.objects.filter(pk=device_id, books_linked_devices=True).exists():
        return []
    ours = {end.link_id: end.port for end in LinkEnd.objects.filter(device_id=device_id)}
    far = (LinkEnd.objects.filter(link_id__in=list(ours)).exclude(device_id=device_id)
           .select_related("device", "link").order_by("device__name", "port"))
    found: dict[int, dict] = {}
    for end in far:
        found.setdefault(end.device_id, {"device": end.device, "port": ours[end.link_id], "far_port": end.port,
                                         "link_type": end.link.link_type})
    return list(found.values())


def check_linked_free(device: Device, linked: list[dict], start: datetime, end: datetime) -> None:
    """Conflict naming the first linked device that is out of service, in maintenance or taken over the window.

    A linked device is booked because the asked one needs it, so any active request on it refuses
    the whole group rather than queueing a conflict the requester did not ask for.
    """
    for entry in linked:
        other = entry["device"]
        why = f"{other} (linked to {device} port {entry['port']})"
        try:
            check_device_open(other, start, end)
        except Conflict as exc:
            raise Conflict(f"The request for {device} also needs {why}: {exc.detail} Nothing was booked.",
                           **exc.extra)
        taken = list(queries.overlapping(other.pk, start, end).select_related("user")[:3])
        if taken:
            raise Conflict(
                f"The request for {device} also needs {why}, which is taken: "
                + "; ".join(describe(b) for b in taken) + ". Nothing was booked.",
                clashes=[queries.describe_booking(b) for b in taken])
