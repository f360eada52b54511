"""Reads of recorded outlet states for pages: which outlets feed which devices, and one word per device."""
from collections import defaultdict

from .models import Outlet


def outlets_by_device(device_ids) -> dict[int, list[Outlet]]:
    """The outlets (with their PDU) feeding each of ``device_ids``, in one query; devices without any are absent."""
    feeds = Outlet.devices.through.objects.filter(device_id__in=list(device_ids)).select_related("outlet__pdu") \
        .order_by("outlet__pdu__name", "outlet__number")
    found: dict[int, list[Outlet]] = defaultdict(list)
    for feed in feeds:
        found[feed.device_id].append(feed.outlet)
    return dict(found)


def power_word(outlets: list[Outlet]) -> str:
    """``on`` / ``off`` when every outlet agrees, ``mixed`` when they do not, ``unknown`` before a
    PDU has reported, and ``""`` for a device no outlet feeds."""
    states = {o.state for o in outlets}
    if not states:
        return ""
    if len(states) == 1:
        return states.pop()
    return "mixed" if states <= {Outlet.State.ON, Outlet.State.OFF} else Outlet.State.UNKNOWN


def attach_power(devices) -> list[str]:
    """Set ``power`` (the word) and ``power_outlets`` on each device; answers the ``pdu:<id>`` topics that
    change them, so the page showing them can follow those topics."""
    feeding = outlets_by_device([d.pk for d in devices])
    pdus = set()
    for device in devices:
        device.power_outlets = feeding.get(device.pk, [])
        device.power = power_word(device.power_outlets)
        pdus.update(o.pdu_id for o in device.power_outlets)
    return [f"pdu:{pk}" for pk in sorted(pdus)]
