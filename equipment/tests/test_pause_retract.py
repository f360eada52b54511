"""A paused Marlin print pulls its filament back before parking and primes it again before going on."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from equipment import services, states
from equipment.models import Job

from .factories import MachineFactory
from .gateway_helpers import state_of, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("gateway_connections")]


def extruding_job(relative_e: bool, moves: int = 3000) -> SimpleUploadedFile:
    """A print whose E values are absolute (M82, E grows along the file) or relative (M83, 0.05 mm a move)."""
    mode = "M83" if relative_e else "M82"
    body = f"G28\nG1 Z0.3 F1200\n{mode}\n" + "".join(
        f"G1 X{10 + i % 80} Y{20 + (i * 7) % 80} E{0.05 if relative_e else round(0.05 * (i + 1), 2)}\n"
        for i in range(moves))
    return SimpleUploadedFile("extrude.gcode", body.encode())


def job_moves(sim) -> list[str]:
    """The job's extruding moves the board carried out (the park moves extrude nothing)."""
    return [line for line in sim.executed if line.startswith("G1 X") and " E" in line]


def pause_while_extruding(operator, machine, sim, relative_e):
    """Start an extruding job on the simulator and pause it mid-print; the job."""
    job = services.upload_job(operator, machine, extruding_job(relative_e))
    services.start_job(operator, job)
    wait_for(lambda: len(sim.e_trail) > 30, what="the job extruding")
    services.pause_job(operator, Job.objects.get(pk=job.pk))
    wait_for(lambda: state_of(machine) == states.PAUSED, what="paused")
    return job


@pytest.mark.parametrize("relative_e", [False, True], ids=["absolute E", "relative E"])
def test_pausing_retracts_before_parking_and_resuming_primes_before_the_next_line(make_user, marlin_online, relative_e):
    operator = make_user("operator")
    online = marlin_online(lambda port: MachineFactory(state=states.DISCONNECTED, connection={"port": port},
                                                       travel={"x": 220, "y": 220, "z": 250},
                                                       park={"lift": 5, "x": 0, "y": 200, "retract": 3}))
    machine, sim = online.machine, online.sim
    job = pause_while_extruding(operator, machine, sim, relative_e)
    at_pause = len(sim.e_trail)
    printed = sim.e_trail[-2]  # E where the job's last move left it
    assert sim.e_trail[-1] == pytest.approx(printed - 3)  # pulled back 3 mm, the machine's own setting
    pulled_back = sim.executed.index("G1 E-3.000 F2100")
    parked_z = next(i for i, line in enumerate(sim.executed) if line.startswith("G1 Z5.3"))
    assert pulled_back < parked_z  # back before the head goes up, so nothing oozes on the way
    services.resume_job(operator, Job.objects.get(pk=job.pk))
    wait_for(lambda: len(sim.e_trail) > at_pause + 20, what="job moves after the resume")
    assert sim.e_trail[at_pause] == pytest.approx(printed)  # primed the same length before the next job line
    assert sim.relative_e is relative_e and sim.relative is False  # the job's own modes again
    services.cancel_job(operator, Job.objects.get(pk=job.pk))
    wait_for(lambda: state_of(machine) == states.IDLE, what="idle after cancel")
    done = job_moves(sim)
    expected = 0.05 * len(done) if relative_e else float(done[-1].rsplit("E", 1)[1])
    assert sim.position["E"] == pytest.approx(expected)  # not a millimetre of filament lost or doubled


def test_no_retraction_when_the_setting_is_zero(make_user, marlin_online, settings):
    settings.EQUIPMENT_PARK_RETRACT_MM = 0
    operator = make_user("operator")
    online = marlin_online()
    machine, sim = online.machine, online.sim
    job = pause_while_extruding(operator, machine, sim, False)
    services.resume_job(operator, Job.objects.get(pk=job.pk))
    wait_for(lambda: state_of(machine) == states.PRINTING, what="printing again")
    services.cancel_job(operator, Job.objects.get(pk=job.pk))
    wait_for(lambda: state_of(machine) == states.IDLE, what="idle after cancel")
    assert not [line for line in sim.executed if line.startswith("G1 E")]
    assert sim.e_trail == sorted(sim.e_trail)  # E only ever went forward
