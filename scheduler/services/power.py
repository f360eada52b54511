"""Power: PDUs, their outlets, switching them, and outlets that follow bookings.

Switching holds the PDU row locked for the whole exchange, so requests to one PDU run one
at a time; the recorded state changes only to what the PDU reported back, so a failure or
timeout leaves it as it was.
"""
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.roles import MEMBER, OPERATOR, has_role, require_role
from core import audit, events
from core.errors import DomainError, NotFound, PermissionDenied, RuleViolation, check_fields
from core.sealing import seal, unseal

from ..events import OUTLET_STATE_MISMATCH, OUTLET_SWITCHED, PDU_CHANGED, PDU_DELETED
from ..models import PDU, Booking, Device, Outlet
from ..power import PowerError, driver_for
from ..power.snmp import is_v3, v3_problems


class PowerFailure(DomainError):
    """The PDU could not be reached or did not confirm the switch; nothing was recorded."""

    status_code = 502


ACTIONS = ("on", "off", "cycle")


def lock_pdu(pdu: PDU | int) -> PDU:
    """The PDU row, re-read and locked: one request per PDU at a time."""
    pdu_id = pdu.pk if isinstance(pdu, PDU) else pdu
    try:
        return PDU.objects.select_for_update().get(pk=pdu_id)
    except (PDU.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"There is no PDU {pdu_id}.")


def _outlet(pdu: PDU, number) -> Outlet:
    try:
        return pdu.outlets.prefetch_related("devices").get(number=int(number))
    except (Outlet.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"{pdu} has no outlet {number}.")


def pdu_data(pdu: PDU) -> dict:
    """Event payload for a PDU (never its credentials)."""
    return {"id": pdu.pk, "name": pdu.name, "driver": pdu.driver, "address": pdu.address}


def outlet_data(outlet: Outlet, **extra) -> dict:
    """Event payload for an outlet."""
    return {"pdu": outlet.pdu_id, "number": outlet.number, "name": outlet.name, "mode": outlet.mode,
            "state": outlet.state, "devices": sorted(d.pk for d in outlet.devices.all()), **extra}


def _publish_outlet(outlet: Outlet, type: str, **extra) -> None:
    topics = [f"pdu:{outlet.pdu_id}", *(f"device:{d.pk}" for d in outlet.devices.all())]
    events.publish(topics, type, outlet_data(outlet, **extra))


def _check_driver(pdu: PDU) -> None:
    if not isinstance(pdu.options, dict):
        # The drivers read their settings by name; a list or a bare value would break them later.
        raise RuleViolation('options: give the driver settings as an object, such as {"verify_tls": true}.',
                            fields={"options": ["Not an object."]})
    if pdu.driver == PDU.Driver.RARITAN and not pdu.address.startswith(("http://", "https://")):
        raise RuleViolation("A Raritan PDU's address is its URL, e.g. https://pdu1.lab.",
                            fields={"address": ["not an http(s) URL"]})
    if pdu.driver == PDU.Driver.SNMP and (not pdu.address or "/" in pdu.address.replace("snmp://", "")):
        raise RuleViolation("An SNMP PDU's address is host or host:port, e.g. pdu1.lab:161.",
                            fields={"address": ["not host[:port]"]})
    if pdu.driver == PDU.Driver.SNMP and is_v3(pdu.options or {}):
        # Checked on the sealed values too, so an update that keeps a stored passphrase is judged whole.
        problems = v3_problems(pdu.options, pdu.username, unseal(pdu.password_sealed),
                               unseal(pdu.privacy_password_sealed))
        if problems:
            raise RuleViolation("SNMP v3 runs authPriv: " + "; ".join(problems.values()) + ".",
                                fields={name: [text] for name, text in problems.items()})
    if pdu.driver == PDU.Driver.TASMOTA and any(c in pdu.address for c in "#+ /"):
        raise RuleViolation("A smart plug's address is its MQTT topic (no spaces, slashes, # or +).",
                            fields={"address": ["not an MQTT topic"]})


@transaction.atomic
def create_pdu(actor, *, name: str, driver: str, address: str, username: str = "", password: str = "",
               privacy_password: str = "", options: dict | None = None) -> PDU:
    """Add a PDU (operators); the password (and SNMP v3 privacy passphrase) are sealed before they are stored."""
    require_role(actor, OPERATOR, "add PDUs")
    pdu = PDU(name=name, driver=driver, address=address, username=username, password_sealed=seal(password),
              privacy_password_sealed=seal(privacy_password) if privacy_password else "", options=options or {})
    check_fields(pdu)
    _check_driver(pdu)
    pdu.save()
    audit.record(actor, "pdu.create", pdu, pdu_data(pdu))
    events.publish([f"pdu:{pdu.pk}"], PDU_CHANGED, pdu_data(pdu))
    return pdu


@transaction.atomic
def update_pdu(actor, pdu: PDU | int, **fields) -> PDU:
    """Change a PDU's settings (operators); a password (or privacy passphrase) given replaces the sealed one,
    none keeps it."""
    require_role(actor, OPERATOR, "change PDUs")
    pdu = lock_pdu(pdu)
    # Secrets are set beside the audited fields, so the trail says "replaced", never the sealed text.
    secrets = {f"{name}_sealed": seal(value) for name in ("password", "privacy_password")
               if (value := fields.pop(name, None))}

    def check(row):
        for name, value in secrets.items():
            setattr(row, name, value)
        check_fields(row)
        _check_driver(row)

    audit.apply_changes(actor, "pdu.update", pdu, fields, check=check,
                        then=lambda row: {name.removesuffix("_sealed"): ["…", "replaced"] for name in secrets})
    events.publish([f"pdu:{pdu.pk}"], PDU_CHANGED, pdu_data(pdu))
    return pdu


@transaction.atomic
def delete_pdu(actor, pdu: PDU | int) -> None:
    """Remove a PDU and its outlets (operators)."""
    require_role(actor, OPERATOR, "remove PDUs")
    pdu = lock_pdu(pdu)
    data = pdu_data(pdu)
    audit.record(actor, "pdu.delete", pdu, data)
    pdu.delete()
    events.publish([f"pdu:{data['id']}"], PDU_DELETED, data)


@transaction.atomic
def set_outlet(actor, pdu: PDU | int, *, number: int, name: str = "", mode: str = Outlet.Mode.MANUAL,
               device_ids=()) -> Outlet:
    """Add or change one outlet of a PDU: its name, mode and the devices it feeds (operators)."""
    require_role(actor, OPERATOR, "set up outlets")
    pdu = lock_pdu(pdu)
    ids = {int(pk) for pk in device_ids}
    devices = list(Device.objects.filter(pk__in=ids))
    missing = ids - {d.pk for d in devices}
    if missing:
        raise RuleViolation(f"No device with id {', '.join(map(str, sorted(missing)))}.",
                            fields={"devices": ["unknown device"]})
    outlet = pdu.outlets.filter(number=number).first() or Outlet(pdu=pdu, number=number)
    before = {"name": outlet.name, "mode": outlet.mode} if outlet.pk else {}
    outlet.name, outlet.mode = name, mode
    check_fields(outlet, exclude=["pdu"])
    outlet.save()
    outlet.devices.set(devices)
    audit.record(actor, "outlet.set", outlet, {"before": before, "name": name, "mode": mode,
                                               "devices": sorted(ids)})
    _publish_outlet(outlet, PDU_CHANGED)
    return outlet


def holding_now(device_ids, now: datetime) -> dict[int, list[Booking]]:
    """Confirmed bookings running at ``now`` on each of ``device_ids`` (devices without one are absent)."""
    held: dict[int, list[Booking]] = {}
    running = (Booking.objects.filter(device_id__in=device_ids, status=Booking.Status.CONFIRMED,
                                      start__lte=now, end__gt=now)
               .prefetch_related("collaborators").select_related("device", "user"))
    for booking in running:
        held.setdefault(booking.device_id, []).append(booking)
    return held


def check_may_switch(actor, outlet: Outlet, action: str, now: datetime) -> None:
    """Operators switch anything; a member must hold a confirmed booking of every device on the outlet booked now."""
    if has_role(actor, OPERATOR):
        return
    require_role(actor, MEMBER, "switch outlets")
    if outlet.mode == Outlet.Mode.ALWAYS_ON and action != "on":
        raise PermissionDenied(f"{outlet} is always on; only an operator may switch it off.")
    devices = list(outlet.devices.all())
    held = holding_now([d.pk for d in devices], now)
    if not held:
        raise PermissionDenied(f"None of the devices on {outlet} is booked by you now: switching needs a "
                               "confirmed booking running now.")
    for device in devices:
        bookings = held.get(device.pk)
        if bookings is None:
            continue
        mine = [b for b in bookings if b.user_id == actor.pk or any(u.pk == actor.pk for u in b.collaborators.all())]
        if not mine:
            raise PermissionDenied(f"{outlet} also feeds {device}, which {bookings[0].user} has booked now "
                                   f"(booking #{bookings[0].pk}); only they or an operator may switch it.")


def _drive(pdu: PDU, call):
    """Run ``call(driver)`` against the PDU; PowerFailure (nothing recorded) when it fails."""
    driver = driver_for(pdu, unseal(pdu.password_sealed), settings.SCHEDULER_PDU_TIMEOUT_SECONDS,
                        unseal(pdu.privacy_password_sealed) if pdu.privacy_password_sealed else "")
    try:
        return call(driver)
    except PowerError as exc:
        raise PowerFailure(f"{pdu}: {exc} The recorded state is unchanged.", code="pdu_failed")


def _switch(actor, pdu: PDU, outlet: Outlet, action: str, delay: float, why: str) -> Outlet:
    previous = outlet.state
    if action == "cycle":
        state = _drive(pdu, lambda d: d.cycle(outlet.number, delay))
    else:
        state = _drive(pdu, lambda d: d.switch(outlet.number, action == "on"))
    outlet.state, outlet.state_checked_at = state, timezone.now()
    outlet.save(update_fields=["state", "state_checked_at", "updated_at"])
    audit.record(actor, f"outlet.{action}", outlet, {"state": [previous, state], "why": why})
    _publish_outlet(outlet, OUTLET_SWITCHED, why=why, previous=previous)
    return outlet


@transaction.atomic
def switch_outlet(actor, pdu: PDU | int, number, action: str, *, delay: float | None = None) -> Outlet:
    """Switch an outlet on, off, or cycle it (off, wait, on), as the PDU confirms it.

    Operators, or a member holding a confirmed booking of every device on the outlet booked
    now. 502 when the PDU fails or times out; the recorded state is then unchanged.
    """
    if action not in ACTIONS:
        raise RuleViolation(f"Switch an outlet 'on', 'off' or 'cycle', not {action!r}.", fields={"action": ["unknown"]})
    pdu = lock_pdu(pdu)
    outlet = _outlet(pdu, number)
    check_may_switch(actor, outlet, action, timezone.now())
    longest = settings.SCHEDULER_PDU_MAX_CYCLE_SECONDS
    delay = settings.SCHEDULER_PDU_CYCLE_SECONDS if delay is None else float(delay)
    if not 0 <= delay <= longest:
        raise RuleViolation(f"A cycle waits between 0 and {longest} seconds.", fields={"delay": ["out of range"]})
    return _switch(actor, pdu, outlet, action, delay, "cycle" if action == "cycle" else "manual")


@transaction.atomic
def read_pdu_status(actor, pdu: PDU | int) -> list[Outlet]:
    """Ask the PDU for every outlet's state; the record follows it, and a difference raises a mismatch event."""
    require_role(actor, MEMBER, "read PDU states")
    return _reconcile(lock_pdu(pdu))


def _reconcile(pdu: PDU) -> list[Outlet]:
    reported = _drive(pdu, lambda d: d.status())
    outlets = list(pdu.outlets.prefetch_related("devices"))
    now = timezone.now()
    for outlet in outlets:
        state = reported.get(outlet.number, Outlet.State.UNKNOWN)
        if state != outlet.state and outlet.state != Outlet.State.UNKNOWN:
            audit.record(None, "outlet.mismatch", outlet, {"state": [outlet.state, state]})
            _publish_outlet(outlet, OUTLET_STATE_MISMATCH, recorded=outlet.state, reported=state)
        outlet.state, outlet.state_checked_at = state, now
        outlet.save(update_fields=["state", "state_checked_at", "updated_at"])
    return outlets


def reconcile_power() -> dict:
    """Read every PDU and bring the records in line (beat); a PDU that fails is counted, not fatal."""
    done = {"read": 0, "failed": 0}
    for pdu_id in PDU.objects.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                _reconcile(lock_pdu(pdu_id))
            done["read"] += 1
        except DomainError:
            done["failed"] += 1
    return done


def wanted_state(outlet: Outlet, now: datetime) -> tuple[str | None, int]:
    """The state an outlet should be in at ``now`` and how many running confirmed bookings need it.

    Scheduled outlets are on while at least one confirmed booking of a device they feed runs
    (a reference count, so one booking ending or being cancelled does not cut another's power);
    always-on outlets are on; manual ones are left alone (None).
    """
    if outlet.mode == Outlet.Mode.ALWAYS_ON:
        return Outlet.State.ON, 0
    if outlet.mode == Outlet.Mode.MANUAL:
        return None, 0
    count = Booking.objects.filter(device__in=outlet.devices.all(), status=Booking.Status.CONFIRMED,
                                   start__lte=now, end__gt=now).count()
    return (Outlet.State.ON if count else Outlet.State.OFF), count


def apply_power_schedule(now: datetime | None = None, device_ids=None) -> dict:
    """Switch scheduled and always-on outlets to the state bookings ask for (beat, and after booking changes).

    ``device_ids`` limits the work to outlets feeding those devices. Each outlet is switched in
    its own transaction, so one PDU that fails does not hold back the others.
    """
    now = now or timezone.now()
    outlets = Outlet.objects.exclude(mode=Outlet.Mode.MANUAL)
    if device_ids is not None:
        outlets = outlets.filter(devices__in=device_ids)
    done = {"switched": 0, "failed": 0}
    for outlet_id in sorted(set(outlets.values_list("pk", flat=True))):
        try:
            with transaction.atomic():
                row = Outlet.objects.select_related("pdu").get(pk=outlet_id)
                pdu = lock_pdu(row.pdu_id)
                outlet = _outlet(pdu, row.number)
                wanted, count = wanted_state(outlet, now)
                if wanted is None or wanted == outlet.state:
                    continue
                why = "always_on" if outlet.mode == Outlet.Mode.ALWAYS_ON else "schedule"
                _switch(None, pdu, outlet, wanted, 0, why)
                done["switched"] += 1
        except DomainError:
            done["failed"] += 1
    return done


def follow_booking(booking: Booking) -> None:
    """After a change to a booking running now, let its device's scheduled outlets follow (once committed)."""
    now = timezone.now()
    if not (booking.start <= now < booking.end):
        return  # future bookings are picked up by the beat when they start
    # Imported here: the tasks module imports the services.
    from ..tasks import apply_power_schedule as task

    device_id = booking.device_id
    transaction.on_commit(lambda: task.delay([device_id]), robust=True)


def pdus_feeding(device: Device) -> list[Outlet]:
    """The outlets feeding a device, with their PDU."""
    return list(Outlet.objects.filter(devices=device).select_related("pdu"))
