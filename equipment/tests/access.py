"""Access rows for the equipment API (see core.testing): every endpoint, every role.

Driving rows use a machine without a bookable device, so members (who hold no booking of
it) get the service's 403 with its reason and operators pass.
"""
from core.testing import Row, allowed_from

MEMBER_READ = allowed_from("member")
OPERATOR_ONLY = allowed_from("operator")


def _machine(**fields):
    from .factories import MachineFactory

    return MachineFactory(**fields)


def machine_url(suffix="", **fields):
    def url(user):
        return f"/api/equipment/machines/{_machine(**fields).pk}/{suffix}"

    url.__name__ = f"machines_{suffix.strip('/') or 'detail'}"
    return url


def job_url(verb, status="queued"):
    def url(user):
        from equipment.models import Job

        from .factories import gcode_file

        machine = _machine()
        job = Job(machine=machine, user=user, original_name="a.gcode", total_lines=2, status=status)
        job.file.save("a.gcode", gcode_file(2), save=False)
        job.save()
        return f"/api/equipment/jobs/{job.pk}/{verb}"

    url.__name__ = f"jobs_{verb.strip('/') or 'detail'}"
    return url


def safety_url(verb=""):
    def url(user):
        from equipment.models import SafetyEvent

        event = SafetyEvent.objects.create(machine=_machine(), level="warning", kind="test", message="hot")
        return f"/api/equipment/safety-events/{event.pk}/{verb}"

    url.__name__ = f"safety_{verb.strip('/') or 'detail'}"
    return url


def new_machine(user):
    from uuid import uuid4

    return {"name": f"M {uuid4().hex[:8]}", "kind": "cnc", "driver": "grbl", "connection": {"port": "/dev/ttyUSB9"}}


ACCESS = [
    Row("GET", "/api/equipment/machines/", MEMBER_READ),
    Row("POST", "/api/equipment/machines/", allowed_from("operator", ok=201), body=new_machine),
    Row("GET", machine_url(), MEMBER_READ),
    Row("PATCH", machine_url(), OPERATOR_ONLY, body={"max_bed": 100}),
    Row("DELETE", machine_url(), allowed_from("operator", ok=204)),
    Row("POST", machine_url("connect/", state="disconnected"), allowed_from("member", ok=202)
        | {"member": 403}),
    Row("POST", machine_url("disconnect/"), allowed_from("member", ok=202) | {"member": 403}),
    Row("POST", machine_url("commands/"), allowed_from("member", ok=202) | {"member": 403},
        body={"command": "home"}),
    Row("GET", machine_url("jobs/"), MEMBER_READ),
    Row("POST", machine_url("jobs/"), allowed_from("member", ok=400) | {"member": 403}, body={}),
    Row("GET", machine_url("telemetry/"), MEMBER_READ),
    Row("GET", "/api/equipment/jobs/", MEMBER_READ),
    Row("GET", job_url(""), MEMBER_READ),
    Row("POST", job_url("start/"), allowed_from("member", ok=200) | {"member": 403}),
    Row("POST", job_url("pause/", status="running"), allowed_from("member", ok=200) | {"member": 403}),
    Row("POST", job_url("resume/", status="paused"), allowed_from("member", ok=200) | {"member": 403}),
    Row("POST", job_url("cancel/"), allowed_from("member", ok=200)),
    Row("GET", "/api/equipment/safety-events/", MEMBER_READ),
    Row("GET", safety_url(), MEMBER_READ),
    Row("POST", safety_url("acknowledge/"), OPERATOR_ONLY),
    Row("POST", safety_url("resolve/"), OPERATOR_ONLY),
    Row("POST", "/api/equipment/emergency-stop/", allowed_from("operator", ok=202), body={}),
]
