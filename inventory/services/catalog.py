"""Device types, manufacturers and tags: small reference tables operators keep."""
import re

from django.db import transaction
from django.db.models import ProtectedError

from accounts.roles import OPERATOR, require_role
from core import audit, events
from core.errors import Conflict, RuleViolation, check_fields

from ..events import CATALOG_EVENTS
from ..models import DeviceType, Tag
from .assets import check_racked_assets

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
PORTS_HINT = 'Give a list of ports such as [{"name": "eth0", "kind": "rj45"}].'


def _label(instance) -> str:
    return instance._meta.model_name


def is_port(port) -> bool:
    """Whether ``port`` is a port: an object with a name, a text that is not empty."""
    return isinstance(port, dict) and isinstance(port.get("name"), str) and port["name"] != ""


def check_catalog_item(instance) -> None:
    """The field checks, then each table's own rule: a tag's colour is ``#rrggbb``; a device type's
    ports are a list of ports that each have a name (the topology links them by name)."""
    check_fields(instance)
    if isinstance(instance, Tag) and not COLOUR.fullmatch(instance.color or ""):
        raise RuleViolation(f"color: '{instance.color}' is not a colour; use #rrggbb.",
                            fields={"color": ["Use #rrggbb."]})
    if isinstance(instance, DeviceType):
        ports = instance.ports
        if not isinstance(ports, list) or not all(is_port(port) for port in ports):
            raise RuleViolation(f"ports: {PORTS_HINT}", fields={"ports": [PORTS_HINT]})


@transaction.atomic
def create_catalog_item(actor, model, **fields):
    """Create a device type, manufacturer or tag (operators)."""
    require_role(actor, OPERATOR, f"create {model._meta.verbose_name_plural}")
    instance = model(**fields)
    check_catalog_item(instance)
    instance.save()
    audit.record(actor, f"{_label(instance)}.create", instance, {k: [None, v] for k, v in fields.items()})
    events.publish("inventory", CATALOG_EVENTS[_label(instance)][0], {"id": instance.pk, "name": str(instance)})
    return instance


@transaction.atomic
def update_catalog_item(actor, instance, **fields):
    """Change a device type, manufacturer or tag (operators).

    A device type's new height is refused (409) when a racked asset of that type would no longer fit.
    """
    require_role(actor, OPERATOR, f"change {instance._meta.verbose_name_plural}")
    # Start from the stored row, locked: an admin form hands over an instance it has already changed.
    instance = type(instance).objects.select_for_update().get(pk=instance.pk)
    changes = audit.apply_changes(actor, f"{_label(instance)}.update", instance, fields,
                                  check=check_catalog_item)
    if isinstance(instance, DeviceType) and "rack_units" in changes:
        # After the save: the racked assets are checked against the stored height (a refusal rolls it back).
        check_racked_assets(instance.assets.all(), f"Making {instance} {instance.rack_units}U high", "rack_units")
    if changes:
        events.publish("inventory", CATALOG_EVENTS[_label(instance)][1], {"id": instance.pk, "changes": changes})
    return instance


@transaction.atomic
def delete_catalog_item(actor, instance) -> None:
    """Delete a device type, manufacturer or tag that nothing uses (operators)."""
    require_role(actor, OPERATOR, f"delete {instance._meta.verbose_name_plural}")
    label, pk = _label(instance), instance.pk
    audit.record(actor, f"{label}.delete", instance, {"name": [str(instance), None]})
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError:
        raise Conflict(f"{instance} is still in use; change what uses it first.")
    events.publish("inventory", CATALOG_EVENTS[label][2], {"id": pk})
