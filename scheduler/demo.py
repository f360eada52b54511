"""Demo devices and a week of bookings, made through the services (so they are audited like real ones)."""
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.demo import get_demo_user
from accounts.roles import MEMBER, OPERATOR
from core.errors import DomainError
from inventory.models import DeviceType
from inventory.services import create_catalog_item

from . import services
from .models import Booking, BookingSeries, Device
from .services.topology import create_link
from .topology_models import DeviceLink

DEVICES = [
    {"name": "Confocal microscope", "description": "Zeiss LSM, room 2.14", "max_holders": 1,
     "max_minutes": 240, "requires_qualification": True, "device_type": ("Confocal microscope", "optical")},
    {"name": "Optical test bed A", "description": "ROADM ring, 4 nodes", "max_holders": 2, "max_days_ahead": 30,
     "device_type": ("Optical test bed", "optical")},
    {"name": "Optical test bed B", "description": "Point-to-point, 80 km spool", "auto_approve": True,
     "device_type": ("Optical test bed", "optical")},
    {"name": "Laser cutter", "description": "CO2, 60 W", "max_holders": 1, "max_hours_per_day": 4,
     "device_type": ("CO2 laser cutter", "machine")},
    {"name": "3D printer farm", "description": "Four FDM printers", "max_holders": 4, "auto_approve": True,
     "device_type": ("Prusa MK4", "machine")},
]


# The test beds' ports, so the demo has a fibre between them on the topology page.
PORTS = {"Optical test bed": [{"name": name, "kind": "lc"} for name in ("line1", "line2", "client1", "client2")]}


def _device_type(operator, name: str, category: str):
    """The inventory device type of that name, added through the inventory service when missing."""
    return DeviceType.objects.filter(name=name).first() or create_catalog_item(
        operator, DeviceType, name=name, category=category, schedulable=True, ports=PORTS.get(name, []))


def _link_test_beds(operator, devices):
    """A fibre between the two optical test beds (once), when their type has the ports."""
    a, b = devices[1], devices[2]
    ports = {port["name"] for port in a.device_type.ports or []} & {port["name"] for port in b.device_type.ports or []}
    if "line1" not in ports or DeviceLink.objects.exists():
        return
    create_link(operator, a, "line1", b, "line1", link_type=DeviceLink.LinkType.FIBRE, note="80 km spool")

# (device index, day offset from Monday, start hour, hours, who)
WEEK = [(0, 0, 9, 2, MEMBER), (1, 0, 10, 4, MEMBER), (1, 0, 12, 2, OPERATOR), (2, 1, 9, 3, MEMBER),
        (3, 2, 14, 2, MEMBER), (4, 3, 8, 6, OPERATOR), (0, 4, 13, 3, MEMBER), (1, 5, 9, 2, OPERATOR)]


def _this_week(week_start: datetime, start: datetime, hours: int, now: datetime) -> datetime:
    """Keep a demo booking in the current week: one whose time has passed moves to later today.

    Only when today has no room left (late on a Sunday) does it go to next week.
    """
    if start > now:
        return start
    later = timezone.localtime(now).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if later + timedelta(hours=hours) <= week_start + timedelta(days=7):
        return later
    return start + timedelta(days=7)


def seed(stdout):
    """Create the demo devices once, and this week's bookings when the week has none yet."""
    operator, member = get_demo_user(OPERATOR), get_demo_user(MEMBER)
    devices = []
    for fields in DEVICES:
        device = Device.objects.filter(name=fields["name"]).first()
        if device is None:
            type_name, category = fields["device_type"]
            device = services.create_device(operator, **{**fields, "device_type": _device_type(
                operator, type_name, category)})
            if device.requires_qualification:
                services.update_device(operator, device, qualified_users=[member, operator])
        devices.append(device)
    _link_test_beds(operator, devices)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    week_start = timezone.make_aware(datetime.combine(monday, time.min))
    if not BookingSeries.objects.exists():
        # Recurring requests starting next week: a weekly measurement and a fortnightly cut.
        for user, index, day, hour, hours, rule in [(member, 2, 8, 14, 2, "FREQ=WEEKLY;COUNT=4"),
                                                    (operator, 3, 10, 9, 2, "FREQ=WEEKLY;INTERVAL=2;COUNT=3")]:
            start = week_start + timedelta(days=day, hours=hour)
            services.create_series(user, devices[index].pk, start, start + timedelta(hours=hours), rule,
                                   comment="demo series")
    if Booking.objects.filter(start__gte=week_start, start__lt=week_start + timedelta(days=7)).exists():
        stdout.write("  scheduler: this week already has bookings")
        return
    made = 0
    now = timezone.now()
    for index, day, hour, hours, role in WEEK:
        start = _this_week(week_start, week_start + timedelta(days=day, hours=hour), hours, now)
        user = member if role == MEMBER else operator
        try:
            booking = services.create_booking(user, devices[index].pk, start, start + timedelta(hours=hours),
                                              comment="demo")
        except DomainError as exc:
            stdout.write(f"  scheduler: skipped a demo booking ({exc.detail})")
            continue
        if booking.status == Booking.Status.PENDING and made % 2 == 0:
            services.approve_booking(operator, booking.pk, "demo")
        made += 1
    stdout.write(f"  scheduler: {len(devices)} devices, {made} bookings this week")
