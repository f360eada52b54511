"""List endpoints of the workshop for the query-count table (see core.testing.ListCase)."""
from core.testing import ListCase

LISTS = []


def _voice_command(user):
    from workshop.models import VoiceCommand

    return VoiceCommand.objects.create(user=user, heard="how much pla is left", intent="stock",
                                       slots={"material": "PLA"}, score=1.0, status="done", answer="750 g of PLA.")


def _someone_elses_voice_command(user):
    from accounts.tests.factories import UserFactory

    return _voice_command(UserFactory(role="member"))


LISTS += [
    ListCase("/api/voice/commands/", _voice_command, role="member", name="voice_commands"),
    ListCase("/api/voice/commands/", _someone_elses_voice_command, role="operator", name="voice_commands_of_everyone"),
]


def _room_device(user):
    from workshop.tests.factories import RoomDeviceFactory

    return RoomDeviceFactory(power=True, level=40, dimmable=True, readings={"temperature": 21.5},
                             limits={"temperature": {"max": 30}})


def _snapshot(user):
    from workshop.tests.factories import SnapshotFactory

    return SnapshotFactory(change=0.25, first_layer=True)


def _discovered_device(user):
    from workshop.tests.factories import DiscoveredDeviceFactory

    return DiscoveredDeviceFactory(announcement={"model": "Plug S"}, online=True)


def _camera(user):
    from workshop.tests.factories import CameraFactory

    return CameraFactory(snapshot_url="http://camera.local/snap.jpg")


LISTS += [
    ListCase("/api/rooms/devices/", _room_device, role="member", name="room_devices"),
    ListCase("/api/cameras/", _camera, role="member", name="cameras"),
    ListCase("/api/cameras/snapshots/", _snapshot, role="member", name="snapshots"),
    ListCase("/api/discovery/devices/", _discovered_device, role="operator", name="discovered_devices"),
]
