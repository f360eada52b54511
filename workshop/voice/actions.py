"""Carrying out a parsed intent through the services that own the thing: equipment, scheduler, inventory, rooms.

Each action calls the same service as the API and the pages, with the speaker as the
actor, so a member without a booking is refused here exactly as on the machine page.
"""
from accounts.roles import VIEWER, require_role
from core.errors import Conflict, NotFound
from equipment import services as equipment
from equipment.models import Job, Machine
from inventory.models import Location
from inventory.queries import materials_with_stock
from scheduler.models import Device
from scheduler.services.bookings import create_booking

from ..services.rooms import dim_room, switch_room
from .parser import Intent

JOB_ACTIONS = {"pause_job": (equipment.pause_job, "paused"), "resume_job": (equipment.resume_job, "resumed"),
               "cancel_job": (equipment.cancel_job, "cancelled")}


def _machine(intent: Intent) -> Machine:
    try:
        return Machine.objects.get(name=intent.slots["machine"])
    except Machine.DoesNotExist as exc:
        raise NotFound(f"There is no machine named {intent.slots.get('machine')!r}.") from exc


def _active_job(machine: Machine) -> Job:
    job = machine.jobs.filter(status__in=Job.ACTIVE).first()
    if job is None:
        raise Conflict(f"{machine.name} has no job in progress.", code="no_job")
    return job


def _room(intent: Intent) -> Location:
    room = Location.objects.filter(name=intent.slots["room"]).order_by("depth").first()
    if room is None:
        raise NotFound(f"There is no room named {intent.slots.get('room')!r}.")
    return room


def _kind_words(kind: str, count: int) -> str:
    word = {"light": "light", "fan": "fan", "air_filter": "air filter"}.get(kind, "device")
    return word + ("s" if count != 1 else "")


def describe(intent: Intent) -> str:
    """The intent in plain words, for "did you mean …?"."""
    s = intent.slots
    if intent.name == "emergency_stop":
        return f"emergency stop {s['machine']}" if s.get("machine") else "emergency stop of every machine"
    if intent.name in JOB_ACTIONS:
        return f"{intent.name.split('_')[0]} the job on {s.get('machine', '?')}"
    if intent.name == "set_temperature":
        return f"set the {s.get('heater')} of {s.get('machine', '?')} to {s.get('target')} °C"
    if intent.name == "fan":
        return f"set the fan of {s.get('machine', '?')} to {s.get('speed')}%"
    if intent.name == "home":
        return f"home {s.get('machine', '?')}"
    if intent.name == "switch":
        what = "everything" if s.get("kind") == "all" else "the " + _kind_words(s.get("kind"), 2)
        return f"turn {'on' if s.get('on') else 'off'} {what} in {s.get('room', '?')}"
    if intent.name == "dim":
        return f"dim the lights in {s.get('room', '?')} to {s.get('level')}%"
    if intent.name == "book":
        start, end = s.get("start"), s.get("end")
        span = f"{start:%a %d %b %H:%M}–{end:%H:%M}" if start and end else "at a time I did not get"
        return f"book {s.get('device', '?')} {span}"
    if intent.name == "stock":
        return f"tell how much {s.get('material', '?')} is left"
    if intent.name == "machine_status":
        return f"tell what {s.get('machine', '?')} is doing"
    return "something I did not understand"


def carry_out(actor, intent: Intent) -> str:
    """Run the intent through its service; the answer in words. Refusals are raised as the service raised them."""
    s = intent.slots
    if intent.name == "emergency_stop":
        if s.get("machine"):
            equipment.emergency_stop(actor, _machine(intent), "Emergency stop by voice.")
            return f"{s['machine']} stopped."
        stopped = equipment.emergency_stop_all(actor, "Emergency stop of all machines by voice.")
        return f"Stopped {len(stopped)} machine{'s' if len(stopped) != 1 else ''}."
    if intent.name in JOB_ACTIONS:
        machine = _machine(intent)
        service, done = JOB_ACTIONS[intent.name]
        job = service(actor, _active_job(machine))
        return f"{job.original_name} on {machine.name} {done}."
    if intent.name == "set_temperature":
        equipment.send_command(actor, _machine(intent), "set_temperature", heater=s["heater"], target=s["target"])
        return f"{s['machine']}: {s['heater']} set to {s['target']} °C."
    if intent.name == "fan":
        equipment.send_command(actor, _machine(intent), "fan", speed=s["speed"])
        return f"{s['machine']}: fan at {s['speed']}%."
    if intent.name == "home":
        equipment.send_command(actor, _machine(intent), "home")
        return f"Homing {s['machine']}."
    if intent.name == "switch":
        devices = switch_room(actor, _room(intent), kind=s["kind"], on=s["on"])
        return f"Turned {'on' if s['on'] else 'off'} {len(devices)} {_kind_words(s['kind'], len(devices))} " \
               f"in {s['room']}."
    if intent.name == "dim":
        devices = dim_room(actor, _room(intent), level=s["level"])
        return f"Dimmed {len(devices)} light{'s' if len(devices) != 1 else ''} in {s['room']} to {s['level']}%."
    if intent.name == "book":
        device = Device.objects.filter(name=s["device"]).first()
        if device is None:
            raise NotFound(f"There is no bookable device named {s['device']!r}.")
        booking = create_booking(actor, device.pk, s["start"], s["end"], comment="Booked by voice.")
        return f"{device.name} booked {s['start']:%a %d %b %H:%M}–{s['end']:%H:%M}: {booking.status}."
    if intent.name == "stock":
        require_role(actor, VIEWER, "read stock")
        material = materials_with_stock().filter(name=s["material"]).first()
        if material is None:
            raise NotFound(f"There is no material named {s['material']!r}.")
        return f"{material.available.normalize():f} {material.unit} of {material.name} available " \
               f"({material.on_hand.normalize():f} on hand)."
    if intent.name == "machine_status":
        require_role(actor, VIEWER, "read machine states")
        machine = _machine(intent)
        job = machine.jobs.filter(status__in=Job.ACTIVE).first()
        doing = f", {job.original_name} at {job.progress}%" if job else ""
        return f"{machine.name} is {machine.state}{doing}."
    raise Conflict("I did not understand that command.", code="unclear")
