"""Access rows for the workshop API (see core.testing): every endpoint, every role."""
import shutil

from core.testing import Row, allowed_from

OPERATOR_ONLY = allowed_from("operator")
MEMBER_UP = allowed_from("member")

ACCESS = [
    Row("GET", "/api/system/status/", OPERATOR_ONLY),
]

ACCESS += [
    Row("POST", "/api/voice/commands/", MEMBER_UP, body={"text": "how much unobtainium is left"}),
]


def _discovered(user):
    from workshop.discovery.announcements import read
    from workshop.services.discovery import record_announcement

    device, _ = record_announcement(read(f"tele/access-{id(user)}/LWT", b"Online"))
    return device


def discovered_url(verb):
    def url(user):
        return f"/api/discovery/devices/{_discovered(user).pk}/{verb}"

    url.__name__ = f"discovery_devices_{verb.strip('/') or 'detail'}"
    return url


ACCESS += [
    Row("GET", "/api/discovery/serial-ports/", OPERATOR_ONLY),
    Row("POST", "/api/discovery/serial-ports/probe/", allowed_from("operator", ok=409), body={"port": "/dev/nope"}),
    Row("GET", "/api/discovery/devices/", OPERATOR_ONLY),
    Row("GET", discovered_url(""), OPERATOR_ONLY),
    Row("POST", discovered_url("adopt/"), allowed_from("operator", ok=201), body={"name": ""}),
    Row("POST", discovered_url("ignore/"), OPERATOR_ONLY),
]


def room_device_url(verb):
    def url(user):
        from .factories import RoomDeviceFactory

        return f"/api/rooms/devices/{RoomDeviceFactory().pk}/{verb}"

    url.__name__ = f"rooms_devices_{verb.strip('/') or 'detail'}"
    return url


ACCESS += [
    Row("GET", "/api/rooms/devices/", MEMBER_UP),
    Row("GET", room_device_url(""), MEMBER_UP),
    # The light is not dimmable: members reach the service, which refuses with a reason.
    Row("POST", room_device_url("dim/"), allowed_from("member", ok=400), body={"level": 40}),
]


def camera_url(verb):
    def url(user):
        from equipment.tests.factories import MachineFactory
        from workshop.models import Camera

        return f"/api/cameras/{Camera.objects.create(machine=MachineFactory(), name='Top').pk}/{verb}"

    url.__name__ = f"cameras_{verb.strip('/') or 'detail'}"
    return url


ACCESS += [
    Row("GET", "/api/cameras/", MEMBER_UP),
    Row("GET", camera_url(""), MEMBER_UP),
    Row("GET", "/api/cameras/snapshots/", MEMBER_UP),
    # The camera has no URL: operators reach the service, which says so; members hold no booking.
    Row("POST", camera_url("snapshot/"), {**allowed_from("member", ok=409), "member": 403}),
]


def speech_url(user):
    from accounts.tests.factories import UserFactory
    from workshop.models import VoiceCommand

    owner = user if user is not None else UserFactory()
    command = VoiceCommand.objects.create(user=owner, heard="hello", intent="unknown", status="unclear",
                                          answer="I did not understand.")
    return f"/api/voice/commands/{command.pk}/speech/"


speech_url.__name__ = "voice_commands_speech"

# Without espeak-ng the service answers 409 with the reason.
ACCESS += [
    Row("GET", speech_url, allowed_from("member", ok=200 if shutil.which("espeak-ng") else 409)),
]

ACCESS += [
    Row("GET", "/api/voice/commands/", MEMBER_UP),
]


def _room_body(user):
    from inventory.tests.factories import LocationFactory

    return {"room": LocationFactory(kind="room").pk, "kind": "light", "name": ""}


def camera_job_url(verb):
    def url(user):
        from equipment.models import Job
        from equipment.tests.factories import MachineFactory
        from workshop.models import Camera

        from .factories import running_job

        machine = MachineFactory()
        Camera.objects.create(machine=machine, name="Top")
        job = running_job(machine, None)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.COMPLETED)
        return f"/api/cameras/jobs/{job.pk}/{verb}"

    url.__name__ = f"cameras_jobs_{verb.strip('/') or 'detail'}"
    return url


ACCESS += [
    Row("POST", discovered_url("adopt-room/"), allowed_from("operator", ok=201), body=_room_body),
    Row("GET", camera_job_url(""), MEMBER_UP),
    # The job has no snapshots: whoever may drive reaches the service, which says so; members hold no booking.
    Row("POST", camera_job_url("timelapse/"), {**allowed_from("member", ok=409), "member": 403}),
]


def kept_file_url(kind):
    def url(user):
        from .factories import SnapshotFactory, TimelapseFactory

        if kind == "image":
            return f"/api/cameras/snapshots/{SnapshotFactory().pk}/image/"
        return f"/api/cameras/timelapses/{TimelapseFactory().pk}/video/"

    url.__name__ = f"cameras_kept_{kind}"
    return url


ACCESS += [
    Row("GET", kept_file_url("image"), MEMBER_UP),
    Row("GET", kept_file_url("video"), MEMBER_UP),
]
