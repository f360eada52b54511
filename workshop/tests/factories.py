"""Factories for workshop rows and a small lab to give commands to."""
import uuid

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from equipment.tests.factories import MachineFactory
from inventory.tests.factories import LocationFactory
from workshop.models import Camera, DiscoveredDevice, RoomDevice, Snapshot, Timelapse, VoiceCommand


class RoomDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoomDevice

    name = factory.Sequence(lambda n: f"Light {n}")
    kind = RoomDevice.Kind.LIGHT
    room = factory.SubFactory(LocationFactory)
    topic = factory.LazyFunction(lambda: f"test-{uuid.uuid4().hex[:12]}/light")


class DiscoveredDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscoveredDevice

    key = factory.Sequence(lambda n: f"tasmota:plug-{n}")
    source = DiscoveredDevice.Source.TASMOTA
    name = factory.Sequence(lambda n: f"Plug {n}")
    topic_prefix = factory.Sequence(lambda n: f"tasmota/plug-{n}")
    last_seen_at = factory.LazyFunction(timezone.now)


class VoiceCommandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoiceCommand

    user = factory.SubFactory(UserFactory)
    heard = "pause printer two"
    intent = "pause"
    status = VoiceCommand.Status.DONE
    answer = "Paused Printer 2."


class CameraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Camera

    machine = factory.SubFactory(MachineFactory)
    name = factory.Sequence(lambda n: f"Camera {n}")


class SnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Snapshot

    camera = factory.SubFactory(CameraFactory)
    at = factory.LazyFunction(timezone.now)
    image = factory.django.ImageField(filename="snapshot.jpg", format="JPEG", width=32, height=24)


class TimelapseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timelapse

    camera = factory.SubFactory(CameraFactory)
    job = factory.LazyAttribute(lambda t: running_job(t.camera.machine, None))
    video = factory.django.FileField(filename="timelapse.gif", data=b"GIF89a")
    frames = 1
    renderer = "pillow"
    rendered_at = factory.LazyFunction(timezone.now)


def small_lab(operator):
    """Two printers, a laser cutter with its bookable device, the laser room with a light, PLA in stock."""
    from decimal import Decimal

    from inventory.services import receive_stock
    from inventory.tests.factories import MaterialFactory
    from scheduler.tests.factories import DeviceFactory

    laser_device = DeviceFactory(name="Laser cutter")
    lab = {
        "printer1": MachineFactory(name="Printer 1"),
        "printer2": MachineFactory(name="Printer 2"),
        "laser": MachineFactory(name="Laser cutter", kind="laser", driver="grbl", device=laser_device),
        "laser_device": laser_device,
        "room": LocationFactory(name="Laser room"),
        "pla": MaterialFactory(name="PLA", unit="g"),
    }
    lab["light"] = RoomDeviceFactory(name="Ceiling", room=lab["room"])
    receive_stock(operator, lab["pla"], Decimal("750"), location=lab["room"])
    return lab


def running_job(machine, user):
    """A job running on ``machine`` (the gateway's side of starting it, done directly)."""
    from equipment.models import Job
    from equipment.tests.factories import gcode_file

    job = Job(machine=machine, user=user, original_name="bracket.gcode", total_lines=20, status="running")
    job.file.save("a.gcode", gcode_file(20), save=False)
    job.save()
    machine.state = "printing"
    machine.save(update_fields=["state"])
    return job
