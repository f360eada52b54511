"""List endpoints of equipment for the query-count table (see core.testing.ListCase)."""
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.testing import ListCase
from equipment.models import Job, Machine

from .factories import JobFactory, MachineFactory, SafetyEventFactory


def _machine_with_a_job_running(user):
    """A machine printing a job half-way, with secrets and a queued job behind it."""
    machine = MachineFactory(sealed_secrets="sealed")
    JobFactory(machine=machine, user=user, status=Job.Status.RUNNING, total_lines=7, lines_acked=3,
               started_at=timezone.now() - timedelta(minutes=5), material_estimate=Decimal("12.5"), position=0)
    JobFactory(machine=machine, user=None, position=1)
    return machine


def _finished_job(user):
    start = timezone.now() - timedelta(hours=2)
    return JobFactory(user=user, status=Job.Status.COMPLETED, total_lines=3, lines_acked=3, started_at=start,
                      finished_at=start + timedelta(minutes=75), paused_seconds=120, material_debited=True)


def _listed_machine():
    return Machine.objects.filter(name="Listed").first() or MachineFactory(name="Listed")


def machine_jobs(user):
    return f"/api/equipment/machines/{_listed_machine().pk}/jobs/"


LISTS = [
    ListCase("/api/equipment/machines/", _machine_with_a_job_running, role="member", name="machines"),
    ListCase("/api/equipment/jobs/", _finished_job, role="member", name="jobs"),
    ListCase(machine_jobs, lambda user: JobFactory(machine=_listed_machine(), user=user), role="member"),
    ListCase("/api/equipment/safety-events/", lambda user: SafetyEventFactory(), role="member",
             name="safety_events"),
]
