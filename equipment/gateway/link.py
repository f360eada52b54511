"""One machine's connection, held by its own thread: connect with backoff, poll, stream jobs, run commands.

The thread is the only one that talks to its driver, except for the emergency stop,
which the gateway sends at once from its own thread (Marlin's emergency parser and
GRBL's real-time bytes exist so a stop need not wait behind a line in flight).
"""
import logging
import queue
import threading
import time
from datetime import UTC, datetime

from django.db import close_old_connections, connections

from core import events

from .. import gcode
from ..drivers import DeviceError, DeviceGone, driver_class
from ..events import TELEMETRY
from ..models import Command, Job
from ..services import jobs as job_services
from ..services import link as link_services
from ..services.telemetry import record_telemetry
from .throttle import Throttle

log = logging.getLogger(__name__)


class JobRun:
    """The job a link is carrying out: its lines and how far the machine has got."""

    def __init__(self, job: Job, from_line: int = 0):
        self.id, self.name, self.total = job.pk, job.original_name, job.total_lines
        with job.file.open("rb") as handle:
            self.content = handle.read()
        self.lines = gcode.command_lines(self.content.decode("utf-8", "replace"))
        self.index = self.acked = from_line
        self.paused = False
        self.started = False
        self.reported = from_line
        self.last_report = 0.0


class MachineLink(threading.Thread):
    """Holds one machine's driver; takes commands from ``inbox``."""

    max_backoff = 30.0

    def __init__(self, machine_id: int, driver_name: str, settings: dict, *, poll=1.0, offline=3.0,
                 live_per_second=2.0, flush_every=1.0, mirror=None):
        super().__init__(daemon=True, name=f"machine {machine_id}")
        self.machine_id, self.driver_name, self.settings = machine_id, driver_name, settings
        self.poll_every, self.offline, self.flush_every = poll, offline, flush_every
        self.inbox: queue.Queue[Command] = queue.Queue()
        self.halt = threading.Event()
        self.driver = None
        self.wanted = True
        self.backoff = 0.5
        self.next_attempt = 0.0
        self.job: JobRun | None = None
        self.batch: list[tuple[datetime, dict]] = []
        self.throttle = Throttle(live_per_second)
        self.last_poll = self.last_flush = 0.0
        self.mirror = mirror
        self.connected_at = None

    # --- the thread ---
    def run(self):
        try:
            while not self.halt.is_set():
                try:
                    self.step()
                except Exception:  # noqa: BLE001 - one machine's fault must not end its thread
                    log.exception("machine %s: unexpected failure", self.machine_id)
                    self._close()
                    time.sleep(0.5)
        finally:
            self._stopped()
            self._flush()
            connections.close_all()

    def stop(self):
        self.halt.set()

    def step(self):
        close_old_connections()
        self._take_commands()
        if self.driver is None:
            if self.wanted and time.monotonic() >= self.next_attempt:
                self._connect()
            else:
                time.sleep(0.05)
            return
        try:
            busy = False
            if self.job and not self.job.paused:
                busy = self._advance_job()
            now = time.monotonic()
            if now - self.last_poll >= self.poll_every:
                self.last_poll = now
                self._poll()
            if now - self.last_flush >= self.flush_every:
                self.last_flush = now
                self._flush()
            if not busy:
                time.sleep(0.02)
        except DeviceGone as exc:
            self._lost(str(exc))
        except DeviceError as exc:
            self._fault(str(exc))

    # --- connection ---
    def _tune(self, driver):
        """Make a silent machine count as lost within ``offline`` seconds (re-asks included)."""
        if hasattr(driver, "ok_timeout"):
            driver.max_reasks = 2
            # Three silent waits (the first and two re-asks) take 3/4 of the window: 3 s → 2.25 s,
            # leaving the rest for writing the loss down on a loaded machine.
            driver.ok_timeout = max(0.2, self.offline * 0.25)
        if hasattr(driver, "stale_after"):
            driver.stale_after = self.offline
        if hasattr(driver, "answer_timeout"):
            driver.answer_timeout = min(driver.answer_timeout, self.offline)

    def _connect(self):
        link_services.machine_connecting(self.machine_id)
        driver = driver_class(self.driver_name)(self.settings)
        self._tune(driver)
        try:
            info = driver.connect()
        except (DeviceGone, DeviceError, OSError, KeyError) as exc:
            try:
                driver.disconnect()
            except Exception:  # noqa: BLE001 - it never opened
                pass
            link_services.machine_lost(self.machine_id, f"cannot connect: {exc}")
            self.next_attempt = time.monotonic() + self.backoff
            self.backoff = min(self.backoff * 2, self.max_backoff)
            return
        if self.halt.is_set():
            # The gateway began stopping while the board was answering its handshake: report nothing.
            # A "connected" written now would outlive this link and could hold a job another
            # gateway (after a restart) has taken up since.
            driver.disconnect()
            return
        self.driver, self.backoff = driver, 0.5
        self.connected_at = time.monotonic()
        link_services.machine_connected(self.machine_id, _plain(info), board_reset=bool((info or {}).get("_reset")))
        self.last_poll = 0.0

    def _close(self):
        if self.driver is not None:
            try:
                self.driver.disconnect()
            except Exception:  # noqa: BLE001 - closing a dead link
                pass
            self.driver = None

    def _let_go_of_job(self) -> dict | None:
        """Forget the job in progress; its id and the line the machine acknowledged, for the services to keep.

        From here on only the row holds the job: the services write it down as interrupted at
        that line, a restarted gateway finds it so, and an operator confirms a resume (from
        that line) or a cancel.
        """
        run, self.job = self.job, None
        if run is None:
            return None
        line = run.acked
        if self.driver is not None and self.driver.streams_gcode:
            # Sent lines still awaiting their ok are not done; a resume sends them again.
            line = max(run.reported, run.index - len(getattr(self.driver, "in_flight", ()) or ()))
        return {"job": run.id, "line": line}

    def _stopped(self):
        """The gateway is stopping: nothing holds the machine any more, and its job waits for an operator."""
        if self.driver is None and self.job is None:
            return
        held = self._let_go_of_job()
        drain = getattr(self.driver, "drain_samples", None)
        if drain:
            self.batch.extend(drain())  # readings already taken in are stored, not dropped with the connection
        self._close()
        try:
            link_services.gateway_stopped(self.machine_id, held=held)
        except Exception:  # noqa: BLE001 - a stopping gateway must still end
            log.exception("machine %s: could not record the gateway's stop", self.machine_id)

    def _lost(self, reason: str):
        log.warning("machine %s lost: %s", self.machine_id, reason)
        held = self._let_go_of_job()
        self._close()
        link_services.machine_lost(self.machine_id, reason, held=held)
        self.next_attempt = time.monotonic() + self.backoff
        self.backoff = min(self.backoff * 2, self.max_backoff)

    def _fault(self, reason: str):
        if self.job:
            job_services.fail_job(self.job.id, reason)
            self.job = None
        if self.driver is not None and getattr(self.driver, "halted", False):
            self._close()
            self.wanted = False  # a halted board needs a person to reconnect (that resets it)
        link_services.machine_fault(self.machine_id, reason)

    # --- emergency stop, from the gateway's thread ---
    def emergency_stop_now(self, command: Command):
        """Stop the machine at once, without waiting for the line in flight."""
        driver = self.driver
        try:
            if driver is None:
                raise DeviceGone("not connected")
            driver.emergency_stop()
            link_services.command_done(command, True, "stopped")
        except (DeviceGone, DeviceError) as exc:
            link_services.command_done(command, False, str(exc))
        self.job = None
        self.inbox.put(Command(name="_after_stop", machine_id=self.machine_id))

    # --- commands ---
    def _take_commands(self):
        while True:
            try:
                command = self.inbox.get_nowait()
            except queue.Empty:
                return
            if command.name == "_after_stop":
                if getattr(self.driver, "halted", False):
                    self._close()
                    self.wanted = False
                continue
            try:
                ok, answer = self._carry_out(command)
            except DeviceGone as exc:
                link_services.command_done(command, False, str(exc))
                self._lost(str(exc))
                continue
            except DeviceError as exc:
                ok, answer = False, str(exc)
            link_services.command_done(command, ok, answer or "")

    def _carry_out(self, command: Command) -> tuple[bool, str]:
        name, arguments = command.name, command.arguments
        if name == "connect":
            self.wanted, self.next_attempt, self.backoff = True, 0.0, 0.5
            return True, "connecting"
        if name == "disconnect":
            self.wanted = False
            held = self._let_go_of_job()
            self._close()
            link_services.machine_lost(self.machine_id, "disconnected on request", held=held)
            return True, "disconnected"
        if self.driver is None:
            return False, "the machine is not connected"
        if name == "start_job":
            job = Job.objects.get(pk=arguments["job"])
            if job.status != Job.Status.RUNNING:
                return False, f"job {job.pk} is {job.status}"
            self.job = JobRun(job, arguments.get("from_line", 0))
            if arguments.get("recover") is not None and hasattr(self.driver, "recover"):
                # An interrupted job goes on after a lost connection: the head is brought back first.
                self.driver.recover(gcode.state_at(self.job.lines, self.job.index), arguments["recover"])
            if not self.driver.streams_gcode:
                self.driver.start_job(job.original_name.replace("/", "_") or "job.gcode", self.job.content)
                self.job.started = True
                job_services.job_printing(job.pk)
            return True, "started"
        if name == "pause_job":
            if self.job:
                self.job.paused = True
                self.driver.pause_job(park=arguments.get("park"))
                self._report_progress(force=True)
            job_services.job_paused(arguments["job"])
            return True, "paused"
        if name == "resume_job":
            if self.job:
                self.driver.resume_job()
                self.job.paused = False
            job_services.job_printing(arguments["job"])
            return True, "resumed"
        if name == "cancel_job":
            self.job = None
            self.driver.cancel_job()
            link_services.machine_idle(self.machine_id, "job cancelled")
            return True, "cancelled"
        if name == "gcode":
            answer = self.driver.send(arguments["gcode"])
            if any(gcode.finds_position(line) for line in arguments["gcode"].splitlines()):
                link_services.machine_homed(self.machine_id)
            return True, answer
        answer = self.driver.execute(name, arguments)
        if name == "home":
            link_services.machine_homed(self.machine_id)
        return True, answer

    # --- jobs ---
    def _advance_job(self) -> bool:
        """Send job lines for up to 0.1 s (streaming drivers) or follow the host's progress; True while busy."""
        run = self.job
        if not self.driver.streams_gcode:
            return False  # progress comes with the poll
        deadline = time.monotonic() + 0.1
        while run.index < len(run.lines) and time.monotonic() < deadline:
            line = run.lines[run.index]
            self.driver.send_job_line(line)
            run.index += 1
            if line[:3].upper() in ("G28", "G92") and gcode.finds_position(line):
                link_services.machine_homed(self.machine_id)
            if not run.started:
                run.started = True
                job_services.job_printing(run.id)
        in_flight = len(getattr(self.driver, "in_flight", ()))
        run.acked = run.index - in_flight
        if run.index >= len(run.lines):
            if hasattr(self.driver, "drain"):
                self.driver.drain()
            run.acked = len(run.lines)
            self._report_progress(force=True)
            job_services.finish_job(run.id)
            self.job = None
            return False
        self._report_progress()
        return True

    def _report_progress(self, force=False):
        run = self.job
        now = time.monotonic()
        if run is None or (not force and now - run.last_report < 1.0) or run.acked == run.reported:
            return
        run.last_report, run.reported = now, run.acked
        if not job_services.record_progress(run.id, run.acked):
            self.job = None  # cancelled or stopped elsewhere: stop streaming

    def _follow_host_job(self):
        run = self.job
        progress = self.driver.job_progress()
        percent = progress.get("progress")
        if percent is not None:
            run.acked = min(run.total, int(run.total * percent / 100))
            self._report_progress()
        if progress.get("state") in ("idle", "finished", "operational") and run.started:
            run.acked = run.total
            self._report_progress(force=True)
            job_services.finish_job(run.id)
            self.job = None

    # --- telemetry ---
    def _poll(self):
        if self.job and not self.driver.streams_gcode:
            self._follow_host_job()
        reading = self.driver.status()
        at = datetime.now(UTC)
        # A driver that takes in readings on its own (MQTT) hands over every one since the last poll;
        # for the others the poll's answer is the reading.
        drain = getattr(self.driver, "drain_samples", None)
        self.batch.extend(drain() if drain else [(at, reading)])
        if self.job:
            reading["progress"] = round(100.0 * self.job.acked / self.job.total, 1) if self.job.total else 0
        if self.mirror is not None:
            self.mirror.telemetry(self.machine_id, reading)
        if self.throttle.ready():
            events.publish(f"machine:{self.machine_id}", TELEMETRY,
                           {"machine": self.machine_id, "at": at.isoformat(), **reading})

    def _flush(self):
        if self.batch:
            batch, self.batch = self.batch, []
            try:
                record_telemetry(self.machine_id, batch)
            except Exception:  # noqa: BLE001 - a failed write loses one batch, not the connection
                log.exception("machine %s: telemetry batch of %s lost", self.machine_id, len(batch))


def _plain(info: dict) -> dict:
    """What a machine said of itself, without the driver's private keys."""
    return {key: value for key, value in (info or {}).items() if not key.startswith("_")}
