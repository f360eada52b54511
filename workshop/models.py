"""Room devices (lights, fans, air filters, sensors on the broker) and the voice commands people gave.

A room is an inventory location of kind *room*; its devices speak the Tasmota MQTT layout
(``cmnd/<topic>/POWER``, ``stat/<topic>/RESULT``, ``tele/<topic>/SENSOR``, ``tele/<topic>/LWT``).
"""
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel


class RoomDevice(TimeStampedModel):
    """A light, fan, air filter or environment sensor in a room, switched or read over MQTT."""

    class Kind(models.TextChoices):
        LIGHT = "light", "Light"
        FAN = "fan", "Fan"
        AIR_FILTER = "air_filter", "Air filter"
        SENSOR = "sensor", "Sensor"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    room = models.ForeignKey("inventory.Location", on_delete=models.PROTECT, related_name="room_devices")
    topic = models.CharField(max_length=120, unique=True,
                             help_text="The device's Tasmota topic: commands go to cmnd/<topic>/POWER.")
    dimmable = models.BooleanField(default=False)
    power = models.BooleanField(null=True, blank=True, help_text="On or off as the device last reported.")
    level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Dimmer level the device reported, %.")
    readings = models.JSONField(default=dict, blank=True, help_text="The latest sensor values.")
    online = models.BooleanField(default=False)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    limits = models.JSONField(default=dict, blank=True,
                              help_text='Reading limits that raise an alert, e.g. {"temperature": {"max": 30}}.')
    alerting = models.JSONField(default=list, blank=True, editable=False,
                                help_text="Readings over their limits now (alerted once per crossing).")

    class Meta:
        ordering = ["room__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["room", "name"], name="room_device_name_unique_in_room"),
            models.CheckConstraint(condition=Q(level__lte=100), name="room_device_level_le_100"),
        ]

    def __str__(self):
        return f"{self.name} ({self.room_id})"


class RoomReading(models.Model):
    """A sensor device's values at one moment, kept for the room's 24-hour charts."""

    device = models.ForeignKey(RoomDevice, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField()
    values = models.JSONField(default=dict)

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["device", "at"], name="room_reading_device_at")]

    def __str__(self):
        return f"{self.device_id} @ {self.at:%H:%M:%S}"


class VoiceCommand(TimeStampedModel):
    """One command someone spoke or typed: what was heard, what it meant and what came of it."""

    class Status(models.TextChoices):
        DONE = "done", "Done"
        CONFIRM = "confirm", "Waiting for confirmation"
        UNCLEAR = "unclear", "Not understood"
        REFUSED = "refused", "Refused"
        EXPIRED = "expired", "Confirmation expired"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voice_commands")
    heard = models.CharField(max_length=500)
    spoken = models.BooleanField(default=False, help_text="Came as audio (transcribed) rather than text.")
    intent = models.CharField(max_length=30)
    slots = models.JSONField(default=dict, blank=True)
    score = models.FloatField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices)
    answer = models.CharField(max_length=500, blank=True)
    token = models.CharField(max_length=40, blank=True, db_index=True)
    seconds = models.FloatField(default=0, help_text="Time from receiving the command to the answer.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.heard!r} → {self.intent} ({self.status})"


class DiscoveredDevice(TimeStampedModel):
    """A device that announced itself on the broker, waiting for an operator to adopt or ignore it.

    Nothing is adopted by itself: ``adopt_device`` (operators) makes it a machine.
    """

    class Source(models.TextChoices):
        HOME_ASSISTANT = "homeassistant", "Home Assistant discovery"
        TASMOTA = "tasmota", "Tasmota"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ADOPTED = "adopted", "Adopted"
        IGNORED = "ignored", "Ignored"

    key = models.CharField(max_length=200, unique=True, help_text="source:identifier, the same on every announcement.")
    source = models.CharField(max_length=20, choices=Source.choices)
    name = models.CharField(max_length=120)
    topic_prefix = models.CharField(max_length=200, help_text="Where the device publishes.")
    announcement = models.JSONField(default=dict, blank=True, help_text="The configs it announced, by topic.")
    online = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    machine = models.ForeignKey("equipment.Machine", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    room_device = models.ForeignKey(RoomDevice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    help_text="The room device it was adopted as (instead of a machine).")
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["status", "-last_seen_at"]

    def __str__(self):
        return f"{self.name} ({self.key})"


class Camera(TimeStampedModel):
    """A camera watching a machine: a snapshot URL, an MJPEG stream, or neither when images are uploaded."""

    machine = models.ForeignKey("equipment.Machine", on_delete=models.CASCADE, related_name="cameras")
    name = models.CharField(max_length=120)
    snapshot_url = models.URLField(blank=True, help_text="Answers one JPEG or PNG per GET; blank for uploads only.")
    mjpeg_url = models.URLField(blank=True, help_text="An MJPEG stream (multipart/x-mixed-replace); frames are "
                                                      "read from it when there is no snapshot URL.")
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["machine__name", "name"]
        constraints = [models.UniqueConstraint(fields=["machine", "name"], name="camera_name_unique_per_machine")]

    def __str__(self):
        return f"{self.name} ({self.machine_id})"


def snapshot_file_name(instance, filename):
    return f"workshop/snapshots/{instance.camera_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower() or '.jpg'}"


class Snapshot(models.Model):
    """One image from a camera, kept per job as its timelapse; ``change`` is how much it differs from the one before."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="snapshots")
    job = models.ForeignKey("equipment.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    image = models.ImageField(upload_to=snapshot_file_name)
    change = models.FloatField(null=True, blank=True, help_text="Mean pixel difference from the previous one, 0–1.")
    first_layer = models.BooleanField(default=False, help_text="Taken when the job's first layer was done.")

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["camera", "at"], name="snapshot_camera_at"),
                   models.Index(fields=["job", "at"], name="snapshot_job_at")]

    def __str__(self):
        return f"{self.camera_id} @ {self.at:%H:%M:%S}"


def timelapse_file_name(instance, filename):
    return f"workshop/timelapses/{instance.job_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Timelapse(models.Model):
    """One camera's snapshots of one job rendered as a video (ffmpeg) or an animated image (Pillow)."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="timelapses")
    job = models.ForeignKey("equipment.Job", on_delete=models.CASCADE, related_name="+")
    video = models.FileField(upload_to=timelapse_file_name)
    frames = models.PositiveIntegerField(default=0)
    renderer = models.CharField(max_length=20, help_text="ffmpeg (MP4) or pillow (animated GIF).")
    rendered_at = models.DateTimeField()

    class Meta:
        ordering = ["job", "camera"]
        constraints = [models.UniqueConstraint(fields=["camera", "job"], name="timelapse_one_per_camera_job")]

    def __str__(self):
        return f"{self.camera_id} / job {self.job_id}"
