"""Machines, their jobs, the command queue the gateway works through, telemetry and safety events.

Machines live in the database (the terminal this replaces kept them in memory). A
machine's connection settings are split: plain ones (port, baud, URL, user name,
topic prefix) in ``connection``, secrets (API key, password) sealed in
``sealed_secrets`` (see ``equipment.crypto``) and never sent out by the API.
"""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel

from . import states


class Machine(TimeStampedModel):
    """A printer, CNC, laser, sensor or microcontroller the gateway talks to."""

    class Kind(models.TextChoices):
        FDM_PRINTER = "fdm_printer", "FDM printer"
        CNC = "cnc", "CNC"
        LASER = "laser", "Laser"
        SENSOR = "sensor", "Sensor"
        MICROCONTROLLER = "microcontroller", "Microcontroller"

    class Driver(models.TextChoices):
        MARLIN = "marlin", "Marlin (serial G-code)"
        GRBL = "grbl", "GRBL (serial)"
        OCTOPRINT = "octoprint", "OctoPrint (HTTP)"
        PRUSALINK = "prusalink", "PrusaLink (HTTP)"
        MQTT = "mqtt", "MQTT JSON device"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    driver = models.CharField(max_length=20, choices=Driver.choices)
    asset = models.OneToOneField("inventory.Asset", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="machine")
    device = models.OneToOneField("scheduler.Device", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="machine",
                                  help_text="The bookable device whose bookings let members drive it.")
    connection = models.JSONField(default=dict, blank=True, help_text="Plain connection settings of the driver.")
    sealed_secrets = models.TextField(blank=True, editable=False, help_text="Encrypted API key or password.")
    capabilities = models.JSONField(default=dict, blank=True)
    max_hotend = models.PositiveSmallIntegerField(default=300, help_text="Highest hotend target, °C.")
    max_bed = models.PositiveSmallIntegerField(default=120, help_text="Highest bed target, °C.")
    travel = models.JSONField(default=dict, blank=True,
                              help_text='Travel limits in mm, e.g. {"x": 220, "y": 220, "z": 250}.')
    park = models.JSONField(default=dict, blank=True,
                            help_text='Where a paused print head waits, e.g. {"lift": 10, "x": 0, "y": 200} (mm); '
                                      "missing keys take the EQUIPMENT_PARK_* settings.")
    material = models.ForeignKey("inventory.Material", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", help_text="What a finished job consumes (filament, stock).")
    material_location = models.ForeignKey("inventory.Location", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    state = models.CharField(max_length=20, choices=states.CHOICES, default=states.DISCONNECTED, db_index=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    state_reason = models.CharField(max_length=300, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    position_known = models.BooleanField(
        default=False, editable=False,
        help_text="The firmware knows where its head is: homed (or Z set by hand) since its board last reset.")
    telemetry = models.JSONField(default=dict, blank=True, help_text="The latest reading.")
    enabled = models.BooleanField(default=True, help_text="The gateway connects to enabled machines.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(max_hotend__lte=500), name="machine_hotend_limit_sane"),
            models.CheckConstraint(condition=Q(max_bed__lte=200), name="machine_bed_limit_sane"),
        ]

    def __str__(self):
        return self.name


def job_file_name(instance, filename):
    """Uploaded G-code is stored under a generated name; the original name is kept on the row."""
    return f"equipment/jobs/{uuid.uuid4().hex}.gcode"


class Job(TimeStampedModel):
    """One file to run on one machine, in that machine's queue."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        INTERRUPTED = "interrupted", "Interrupted (needs an operator)"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    OPEN = (Status.QUEUED, Status.RUNNING, Status.PAUSED, Status.INTERRUPTED)
    ACTIVE = (Status.RUNNING, Status.PAUSED, Status.INTERRUPTED)

    machine = models.ForeignKey(Machine, on_delete=models.CASCADE, related_name="jobs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="machine_jobs")
    booking = models.ForeignKey("scheduler.Booking", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="machine_jobs")
    task = models.ForeignKey("projects.Task", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="machine_jobs",
                             help_text="The project task whose worklog receives the job's machine hours.")
    worklog = models.OneToOneField("projects.WorkLog", null=True, blank=True, editable=False,
                                   on_delete=models.SET_NULL, related_name="machine_job",
                                   help_text="The worklog the machine hours were recorded as (once).")
    file = models.FileField(upload_to=job_file_name)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    total_lines = models.PositiveIntegerField(default=0, help_text="G-code lines to send (comments stripped).")
    lines_acked = models.PositiveIntegerField(default=0)
    material_estimate = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True,
                                            help_text="Material the slicer says the file uses, in the material's unit.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    position = models.PositiveIntegerField(default=0, help_text="Order in the machine's queue.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    paused_at = models.DateTimeField(null=True, blank=True,
                                     help_text="Since when the job has been held (paused or interrupted).")
    reason = models.CharField(max_length=300, blank=True)
    material_debited = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # At most one job runs (or waits paused/interrupted) on a machine at a time.
            models.UniqueConstraint(fields=["machine"], condition=Q(status__in=["running", "paused", "interrupted"]),
                                    name="job_one_active_per_machine"),
            models.CheckConstraint(condition=Q(lines_acked__lte=models.F("total_lines")), name="job_progress_le_total"),
        ]
        indexes = [models.Index(fields=["machine", "status", "position"], name="job_machine_queue")]

    def __str__(self):
        return f"{self.original_name} on {self.machine_id} ({self.status})"

    @property
    def progress(self) -> float:
        """Share of lines acknowledged by the machine, 0–100."""
        return round(100.0 * self.lines_acked / self.total_lines, 1) if self.total_lines else 0.0

    @property
    def machine_seconds(self) -> int:
        """Seconds the machine worked on the job: start to end, without the time it was held."""
        if self.started_at is None or self.finished_at is None:
            return 0
        return max(0, int((self.finished_at - self.started_at).total_seconds()) - self.paused_seconds)


class Command(TimeStampedModel):
    """An order for the gateway: services queue it, the gateway carries it out and writes the answer.

    The queue lives in the database so a restart of the gateway or the web loses nothing,
    and PostgreSQL hands each row to one gateway worker (``SELECT ... FOR UPDATE SKIP LOCKED``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    machine = models.ForeignKey(Machine, on_delete=models.CASCADE, related_name="commands")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    name = models.CharField(max_length=30)
    arguments = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    response = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "id"], name="command_queue",
                                condition=Q(status="queued"))]

    def __str__(self):
        return f"{self.name} → {self.machine_id} ({self.status})"


class TelemetrySample(models.Model):
    """Readings of one machine at one moment (raw) or averaged over a minute (downsampled)."""

    machine = models.ForeignKey(Machine, on_delete=models.CASCADE, related_name="samples")
    at = models.DateTimeField()
    minute = models.BooleanField(default=False, help_text="An average over one minute of raw samples.")
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["machine", "at"], name="telemetry_machine_at"),
                   models.Index(fields=["minute", "at"], name="telemetry_minute_at")]

    def __str__(self):
        return f"{self.machine_id} @ {self.at:%H:%M:%S}"


class SafetyEvent(TimeStampedModel):
    """Something about a machine that a person must look at: a threshold crossed, telemetry gone silent."""

    class Level(models.TextChoices):
        INFO = "info", "Info"
        WARNING = "warning", "Warning"
        CRITICAL = "critical", "Critical"
        EMERGENCY = "emergency", "Emergency"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"

    machine = models.ForeignKey(Machine, on_delete=models.CASCADE, related_name="safety_events")
    level = models.CharField(max_length=10, choices=Level.choices)
    kind = models.CharField(max_length=40, help_text="over_temperature, watchdog, emergency_stop ...")
    message = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN, db_index=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.level} {self.kind} on {self.machine_id}"
