"""What the gateway reports about the link to a machine, and how it takes commands from the queue."""
from django.db import connection, transaction
from django.utils import timezone

from core import events

from .. import states
from ..events import COMMAND_DONE
from ..models import Command, Job, Machine
from .common import lock_machine, machine_data, machine_topics, move
from .jobs import hold_interrupted


@transaction.atomic
def machine_connecting(machine_id: int) -> None:
    """The gateway is opening the connection."""
    machine = lock_machine(machine_id)
    if machine.state in (states.DISCONNECTED, states.ERROR):
        move(machine, states.CONNECTING, "opening the connection")


@transaction.atomic
def machine_connected(machine_id: int, info: dict | None = None, *, board_reset: bool = False) -> None:
    """The machine answered its handshake: it is idle, and what it said of itself is kept as capabilities.

    ``board_reset``: the board reset as its port opened, so it no longer knows where its head is
    (a job interrupted before resumes only once it is homed again, see ``jobs.resume_job``).
    """
    machine = lock_machine(machine_id)
    if info:
        machine.capabilities = {**machine.capabilities, **info}
        machine.save(update_fields=["capabilities", "updated_at"])
    if board_reset and machine.position_known:
        machine.position_known = False
        machine.save(update_fields=["position_known"])
    machine.last_seen_at = timezone.now()
    machine.save(update_fields=["last_seen_at"])
    # A fresh connection means the board was reset or the gateway restarted: a job that was
    # running cannot go on by itself; an operator confirms (resume_job) or cancels it.
    for job in machine.jobs.select_for_update().filter(status__in=[Job.Status.RUNNING, Job.Status.PAUSED]):
        hold_interrupted(job, "The machine was connected afresh (the gateway restarted or the board reset)")
    if machine.state == states.DISCONNECTED:
        move(machine, states.CONNECTING, "opening the connection")
    if machine.state in (states.CONNECTING, states.ERROR):
        move(machine, states.IDLE, "connected")


def _hold_jobs(machine: Machine, reason: str, held: dict | None) -> None:
    """The machine's running or paused job becomes interrupted; at ``held["line"]`` when the gateway counted it."""
    for job in machine.jobs.select_for_update().filter(status__in=[Job.Status.RUNNING, Job.Status.PAUSED]):
        line = held["line"] if held and held.get("job") == job.pk else None
        hold_interrupted(job, reason, line)


@transaction.atomic
def machine_lost(machine_id: int, reason: str, held: dict | None = None) -> None:
    """The machine stopped answering or its port closed: disconnected, its job interrupted (never resumed by itself).

    ``held`` is the job the gateway was carrying out and the line the machine had acknowledged
    (``{"job": id, "line": n}``): the row keeps that line, so a confirmed resume starts there.
    """
    machine = lock_machine(machine_id)
    now = timezone.now()
    _hold_jobs(machine, "Disconnected on request" if reason == "disconnected on request"
               else f"Connection lost ({reason})", held)
    if machine.state not in (states.DISCONNECTED, states.MAINTENANCE):
        move(machine, states.DISCONNECTED, reason)
    machine.state_changed_at = now


@transaction.atomic
def gateway_stopped(machine_id: int, held: dict | None = None) -> None:
    """The gateway stopped and holds the machine no more: disconnected, unless in error (a person must see why).

    Its job waits as interrupted at the line in ``held`` (see ``machine_lost``).
    """
    machine = lock_machine(machine_id)
    _hold_jobs(machine, "The gateway stopped", held)
    if machine.state not in (states.DISCONNECTED, states.MAINTENANCE, states.ERROR):
        move(machine, states.DISCONNECTED, "the gateway stopped")


@transaction.atomic
def machine_homed(machine_id: int) -> None:
    """The machine homed (or had its Z set by hand): its firmware knows where the head is until its next reset."""
    Machine.objects.filter(pk=machine_id, position_known=False).update(position_known=True)


@transaction.atomic
def machine_idle(machine_id: int, reason: str = "") -> None:
    """A finished or cancelled job is behind the machine: it is idle again."""
    machine = lock_machine(machine_id)
    if machine.state == states.CANCELLING:
        move(machine, states.CANCELLED, reason)
    if machine.state in (states.COMPLETE, states.CANCELLED):
        move(machine, states.IDLE, reason)


@transaction.atomic
def machine_fault(machine_id: int, reason: str) -> None:
    """The machine reported an error it cannot go on from (a halt, an alarm)."""
    machine = lock_machine(machine_id)
    move(machine, states.ERROR, reason, checked=False)


def claim_commands(machine_ids, limit: int = 50) -> list[Command]:
    """Take queued commands for these machines, oldest first, emergency stops ahead of everything.

    On PostgreSQL the rows are locked with SKIP LOCKED so two gateways never take the same
    command; SQLite writes one transaction at a time, which gives the same guarantee.
    """
    with transaction.atomic():
        qs = Command.objects.filter(status=Command.Status.QUEUED, machine_id__in=list(machine_ids)).order_by("id")
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True)
        taken = list(qs[:limit])
        Command.objects.filter(pk__in=[c.pk for c in taken]).update(status=Command.Status.SENT)
    taken.sort(key=lambda command: (command.name != "emergency_stop", command.pk))
    return taken


def command_done(command: Command, ok: bool, response: str = "") -> None:
    """Write what the machine answered to a command, and announce it."""
    command.status = Command.Status.DONE if ok else Command.Status.FAILED
    command.response, command.done_at = response[:4000], timezone.now()
    command.save(update_fields=["status", "response", "done_at", "updated_at"])
    machine = Machine.objects.only("pk", "name", "state", "kind").get(pk=command.machine_id)
    events.publish(machine_topics(machine.pk), COMMAND_DONE,
                   machine_data(machine, command=command.pk, name=command.name, status=command.status,
                                response=command.response[:500]))
