"""Rules the database holds: one job in progress per machine, each queued command taken by one gateway."""
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connections, transaction

from equipment.models import Command, Job
from equipment.services import link as link_services

from .factories import MachineFactory


@pytest.mark.django_db
def test_the_database_refuses_a_second_job_in_progress_on_one_machine(make_user):
    machine = MachineFactory()
    user = make_user("operator")
    Job.objects.create(machine=machine, user=user, original_name="a", total_lines=1, status="running")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(machine=machine, user=user, original_name="b", total_lines=1, status="paused")
    Job.objects.create(machine=machine, user=user, original_name="c", total_lines=1, status="queued")


@pytest.mark.django_db
def test_emergency_stops_are_handed_out_first():
    machine = MachineFactory()
    Command.objects.create(machine=machine, name="home")
    Command.objects.create(machine=machine, name="emergency_stop")
    taken = link_services.claim_commands([machine.pk])
    assert [c.name for c in taken] == ["emergency_stop", "home"]
    assert set(Command.objects.values_list("status", flat=True)) == {"sent"}
    assert link_services.claim_commands([machine.pk]) == []


@pytest.mark.full("postgres")
@pytest.mark.django_db(transaction=True)
def test_two_gateways_never_take_the_same_command():
    machine = MachineFactory()
    Command.objects.bulk_create([Command(machine=machine, name="home") for _ in range(200)])

    def claim(_):
        try:
            taken = []
            while batch := link_services.claim_commands([machine.pk], limit=5):
                taken += [command.pk for command in batch]
            return taken
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(claim, range(4)))
    everything = [pk for taken in results for pk in taken]
    assert len(everything) == 200 and len(set(everything)) == 200
    connections["default"].close_pool()
