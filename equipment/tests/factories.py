"""Factories for equipment rows; state changes in tests go through the services."""
import factory

from equipment import states
from equipment.models import Machine


class MachineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Machine

    name = factory.Sequence(lambda n: f"Printer {n}")
    kind = Machine.Kind.FDM_PRINTER
    driver = Machine.Driver.MARLIN
    connection = factory.LazyFunction(lambda: {"port": "/dev/null", "baud": 115200})
    state = states.IDLE


def booked_machine(user, *, status="confirmed", hours=(-1, 1), **fields):
    """A machine linked to a bookable device, and ``user``'s booking of it around now."""
    from datetime import timedelta

    from django.utils import timezone

    from scheduler.tests.factories import BookingFactory, DeviceFactory

    device = DeviceFactory()
    machine = MachineFactory(device=device, **fields)
    now = timezone.now()
    booking = BookingFactory(device=device, user=user, status=status, start=now + timedelta(hours=hours[0]),
                             end=now + timedelta(hours=hours[1]))
    return machine, booking


def gcode_file(lines: int = 20, name: str = "part.gcode", extra: str = ""):
    """An uploaded G-code file of ``lines`` moves with a slicer header."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = "; generated for a test\n" + extra + "G28 ; home\n" + "".join(
        f"G1 X{i % 100} Y{(i * 7) % 100} E{i * 0.01:.2f}\n" for i in range(lines - 1))
    return SimpleUploadedFile(name, body.encode(), content_type="text/plain")
