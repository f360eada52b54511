"""Links between device ports, and booking a resolved topology as one group."""
from datetime import datetime

from django.db import IntegrityError, transaction

from accounts.roles import MEMBER, OPERATOR, require_role
from core import audit, events
from core.errors import Conflict, NotFound, RuleViolation, check_fields

from ..events import DEVICE_CHANGED
from ..models import Device, DeviceLink, LinkEnd
from .bookings import create_group


def _port_names(device: Device) -> list[str]:
    ports = device.device_type.ports if device.device_type_id else []
    return [p.get("name") for p in ports or [] if isinstance(p, dict) and p.get("name")]


def _check_port(device: Device, port: str, side: str) -> None:
    names = _port_names(device)
    if port not in names:
        raise RuleViolation(
            f"{device} has no port {port!r}" + (f"; its ports are {', '.join(names)}." if names
                                                else ": give the device a type that lists its ports."),
            fields={f"{side}_port": ["unknown port"]})


@transaction.atomic
def create_link(actor, a_device: Device | int, a_port: str, b_device: Device | int, b_port: str, *,
                link_type: str, note: str = "") -> DeviceLink:
    """Record a cable between two ports (operators); a port already linked is a 409 naming the link."""
    require_role(actor, OPERATOR, "record links")
    if link_type not in DeviceLink.LinkType.values:
        raise RuleViolation(f"A link is one of {', '.join(DeviceLink.LinkType.values)}.",
                            fields={"link_type": ["unknown"]})
    devices = {}
    for side, device in (("a", a_device), ("b", b_device)):
        pk = device.pk if isinstance(device, Device) else device
        try:
            devices[side] = Device.objects.select_related("device_type").get(pk=pk)
        except (Device.DoesNotExist, ValueError, TypeError):
            raise NotFound(f"There is no device {pk}.")
    if devices["a"].pk == devices["b"].pk and a_port == b_port:
        raise RuleViolation("A link joins two different ports.", fields={"b_port": ["same port"]})
    _check_port(devices["a"], a_port, "a")
    _check_port(devices["b"], b_port, "b")
    for side, port in (("a", a_port), ("b", b_port)):
        taken = LinkEnd.objects.filter(device=devices[side], port=port).first()
        if taken:
            raise Conflict(f"Port {port} of {devices[side]} already has link #{taken.link_id}; remove it first.",
                           fields={f"{side}_port": ["already linked"]})
    link = DeviceLink.objects.create(link_type=link_type, note=note)
    try:
        with transaction.atomic():
            LinkEnd.objects.create(link=link, device=devices["a"], port=a_port)
            LinkEnd.objects.create(link=link, device=devices["b"], port=b_port)
    except IntegrityError:
        # Another request linked the port between the check and the insert; the constraint holds.
        raise Conflict("One of those ports was linked by someone else a moment ago; reload and try again.")
    audit.record(actor, "link.create", link, {"a": [devices["a"].pk, a_port], "b": [devices["b"].pk, b_port],
                                               "link_type": link_type})
    for device in devices.values():
        events.publish(["scheduler", f"device:{device.pk}"], DEVICE_CHANGED, {"id": device.pk, "links": "changed"})
    return link


@transaction.atomic
def update_link(actor, link: DeviceLink | int, **fields) -> DeviceLink:
    """Change a link's type or note (operators); its ends are re-cabled by removing and adding the link."""
    require_role(actor, OPERATOR, "change links")
    pk = link.pk if isinstance(link, DeviceLink) else link
    link = DeviceLink.objects.select_for_update().filter(pk=pk).first()
    if link is None:
        raise NotFound(f"There is no link {pk}.")
    unknown = set(fields) - {"link_type", "note"}
    if unknown:
        raise RuleViolation(f"Only a link's type and note change; move a cable by removing the link "
                            f"({', '.join(sorted(unknown))} given).")

    def check(row):
        if row.link_type not in DeviceLink.LinkType.values:
            raise RuleViolation(f"A link is one of {', '.join(DeviceLink.LinkType.values)}.",
                                fields={"link_type": ["unknown"]})
        check_fields(row)

    changes = audit.apply_changes(actor, "link.update", link, fields, check=check)
    for device_id in link.ends.values_list("device_id", flat=True):
        events.publish(["scheduler", f"device:{device_id}"], DEVICE_CHANGED,
                       {"id": device_id, "links": "changed", "changes": sorted(changes)})
    return link


@transaction.atomic
def delete_link(actor, link: DeviceLink | int) -> None:
    """Remove a cable (operators)."""
    require_role(actor, OPERATOR, "remove links")
    pk = link.pk if isinstance(link, DeviceLink) else link
    link = DeviceLink.objects.select_for_update().filter(pk=pk).first()
    if link is None:
        raise NotFound(f"There is no link {pk}.")
    device_ids = list(link.ends.values_list("device_id", flat=True))
    audit.record(actor, "link.delete", link, {"devices": device_ids})
    link.delete()
    for device_id in device_ids:
        events.publish(["scheduler", f"device:{device_id}"], DEVICE_CHANGED, {"id": device_id, "links": "changed"})


@transaction.atomic
def book_topology(actor, spec: dict, start: datetime, end: datetime, *, candidate: int = 0, strategy: str = "greedy",
                  comment: str = "") -> list:
    """Resolve ``spec`` again (availability may have moved) and book candidate ``candidate`` as one group.

    The group holds the chosen devices and the devices their paths run through; any refusal
    refuses the whole group.
    """
    # Imported here: the resolver reads through queries, which the services package also loads.
    from ..topology import resolve

    require_role(actor, MEMBER, "book devices")
    answer = resolve(spec, start, end, strategy=strategy, limit=candidate + 1)
    if candidate >= len(answer["candidates"]):
        raise Conflict(f"There is no candidate {candidate} for that topology and time any more "
                       f"({len(answer['candidates'])} found).", clashes=answer["clashes"][:20])
    return create_group(actor, answer["candidates"][candidate]["devices"], start, end, comment=comment)
