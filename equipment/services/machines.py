"""Adding, changing and removing machines; connection settings and their sealed secrets."""
from django.db import transaction
from django.db.models import ProtectedError

from accounts.roles import OPERATOR, require_role
from core import audit, events
from core.errors import Conflict, RuleViolation, check_fields

from .. import crypto
from ..events import MACHINE_CHANGED, MACHINE_DELETED
from ..models import Machine
from .common import lock_machine, machine_data, machine_topics

MACHINE_FIELDS = ["name", "kind", "driver", "asset", "device", "capabilities", "max_hotend", "max_bed", "travel",
                  "park", "material", "material_location", "enabled"]
SECRET_KEYS = {"api_key", "password"}
# A longer pull-back than this is no pause retraction: it would unload the filament.
MAX_RETRACT_MM = 20
# The connection settings each driver needs (and may take); everything else is refused.
CONNECTION = {
    "marlin": ({"port"}, {"port", "baud", "simulator"}),
    "grbl": ({"port"}, {"port", "baud", "simulator"}),
    "octoprint": ({"url"}, {"url", "api_key", "simulator"}),
    "prusalink": ({"url"}, {"url", "username", "password", "simulator"}),
    "mqtt": ({"topic_prefix"}, {"topic_prefix", "simulator"}),
}


def _check_connection(driver: str, connection: dict) -> None:
    if not isinstance(connection, dict):
        raise RuleViolation("connection must be a JSON object.", fields={"connection": ["Send an object."]})
    needed, allowed = CONNECTION.get(driver, (set(), set()))
    missing = sorted(name for name in needed if not connection.get(name))
    unknown = sorted(set(connection) - allowed)
    if missing or unknown:
        parts = ([f"needs {', '.join(missing)}"] if missing else []) + (
            [f"does not take {', '.join(unknown)}"] if unknown else [])
        raise RuleViolation(f"A {driver} connection {' and '.join(parts)}.", fields={"connection": parts})
    if "baud" in connection and connection["baud"] not in (9600, 19200, 38400, 57600, 115200, 250000, 500000):
        raise RuleViolation("baud must be a standard rate such as 115200.", fields={"connection": ["bad baud"]})
    if driver in ("octoprint", "prusalink") and not str(connection["url"]).startswith(("http://", "https://")):
        raise RuleViolation("url must start with http:// or https://.", fields={"connection": ["bad url"]})
    if driver == "octoprint" and not connection.get("api_key") and not connection.get("simulator"):
        raise RuleViolation("An OctoPrint connection needs an api_key.", fields={"connection": ["needs api_key"]})


def _store_connection(machine: Machine, connection: dict, old_secrets: dict) -> None:
    """Keep plain settings in the clear and seal the secrets; a secret left out keeps its stored value."""
    secrets = dict(old_secrets)
    secrets.update({key: value for key, value in connection.items() if key in SECRET_KEYS and value})
    machine.connection = {key: value for key, value in connection.items() if key not in SECRET_KEYS}
    machine.sealed_secrets = crypto.seal(secrets)


def connection_settings(machine: Machine) -> dict:
    """Everything a driver needs to connect, secrets unsealed (for the gateway only, never the API)."""
    return {**machine.connection, **crypto.unseal(machine.sealed_secrets)}


def _check(machine: Machine) -> None:
    check_fields(machine, exclude=["sealed_secrets"])
    for axis, value in (machine.travel or {}).items():
        if axis not in ("x", "y", "z") or not isinstance(value, (int, float)) or value <= 0:
            raise RuleViolation("travel takes x, y and z in mm, each above 0.", fields={"travel": [f"bad {axis}"]})
    if not isinstance(machine.park, dict):
        raise RuleViolation('park is an object such as {"lift": 10, "x": 0, "y": 200}.',
                            fields={"park": ["An object."]})
    for key, value in machine.park.items():
        if key not in ("lift", "x", "y", "retract") or isinstance(value, bool) or not isinstance(value, (int, float)) \
                or value < 0:
            raise RuleViolation("park takes lift, x, y and retract in mm, each 0 or more.",
                                fields={"park": [f"bad {key}"]})
        if key == "retract" and value > MAX_RETRACT_MM:
            raise RuleViolation(f"park retract is at most {MAX_RETRACT_MM} mm of filament.",
                                fields={"park": ["retract too long"]})
        limit = (machine.travel or {}).get(key)
        if key in ("x", "y") and isinstance(limit, (int, float)) and value > limit:
            raise RuleViolation(f"park {key} {value:g} is beyond the machine's {key} travel of {limit:g} mm.",
                                fields={"park": [f"{key} beyond travel"]})


@transaction.atomic
def create_machine(actor, *, connection=None, **fields) -> Machine:
    """Add a machine (operators). Its API key or password is sealed before it is stored."""
    require_role(actor, OPERATOR, "add machines")
    unknown = set(fields) - set(MACHINE_FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown machine field(s): {', '.join(sorted(unknown))}.")
    if Machine.objects.filter(name=fields.get("name")).exists():
        raise Conflict(f"A machine named {fields.get('name')!r} already exists.", fields={"name": ["taken"]})
    machine = Machine(**fields)
    connection = connection or {}
    _check_connection(machine.driver, connection)
    _store_connection(machine, connection, {})
    _check(machine)
    machine.save()
    audit.record(actor, "machine.create", machine, {name: [None, value] for name, value in fields.items()})
    events.publish(machine_topics(machine.pk), MACHINE_CHANGED, machine_data(machine))
    return machine


@transaction.atomic
def update_machine(actor, machine, *, connection=None, **fields) -> Machine:
    """Change a machine's settings (operators); secrets not sent again stay as stored."""
    require_role(actor, OPERATOR, "change machines")
    machine = lock_machine(machine)
    unknown = set(fields) - set(MACHINE_FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown machine field(s): {', '.join(sorted(unknown))}.")
    if "name" in fields and Machine.objects.filter(name=fields["name"]).exclude(pk=machine.pk).exists():
        raise Conflict(f"A machine named {fields['name']!r} already exists.", fields={"name": ["taken"]})
    before = audit.snapshot(machine, list(fields) + ["connection"])
    for name, value in fields.items():
        setattr(machine, name, value)
    if connection is not None or "driver" in fields:
        old_secrets = crypto.unseal(machine.sealed_secrets)
        merged = {**(machine.connection if connection is None else connection)}
        check_with = {**merged, **{k: v for k, v in old_secrets.items() if k not in merged}}
        _check_connection(machine.driver, check_with)
        _store_connection(machine, merged, old_secrets)
    _check(machine)
    machine.save()
    changes = audit.diff(before, machine)
    audit.record(actor, "machine.update", machine, changes)
    events.publish(machine_topics(machine.pk), MACHINE_CHANGED, machine_data(machine, changed=sorted(changes)))
    return machine


@transaction.atomic
def delete_machine(actor, machine) -> None:
    """Remove a machine with its jobs, telemetry and safety history (operators); not while a job runs."""
    require_role(actor, OPERATOR, "remove machines")
    machine = lock_machine(machine)
    if machine.jobs.filter(status__in=["running", "paused", "interrupted"]).exists():
        raise Conflict("This machine has a job in progress; cancel it first.")
    audit.record(actor, "machine.delete", machine, {"name": [machine.name, None]})
    events.publish(machine_topics(machine.pk), MACHINE_DELETED, machine_data(machine))
    try:
        machine.delete()
    except ProtectedError as exc:  # pragma: no cover - nothing protects a machine today
        raise Conflict("Something still refers to this machine.") from exc
