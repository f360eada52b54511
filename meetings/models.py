"""Meetings, who attended, their recordings and transcripts, comments, versions and action items."""
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel


def recording_path(instance, filename) -> str:
    """Storage name of an upload: generated, so no upload name can steer where it lands."""
    return f"meetings/recordings/{uuid.uuid4().hex}.{instance.audio_format}"


class Meeting(TimeStampedModel):
    """A meeting: what it was about, who came, what was said and decided."""

    class Kind(models.TextChoices):
        STANDUP = "standup", "Standup"
        PLANNING = "planning", "Planning"
        RETROSPECTIVE = "retrospective", "Retrospective"
        CLIENT = "client", "Client"
        MAINTENANCE = "maintenance", "Maintenance"
        SAFETY = "safety", "Safety"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Analysis(models.TextChoices):
        NONE = "none", "Not analyzed"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    starts_at = models.DateTimeField(db_index=True)
    duration_minutes = models.PositiveIntegerField(default=30)
    agenda = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    decisions = models.JSONField(default=list, blank=True, help_text="Decisions, one string each.")
    summary = models.TextField(blank=True)
    transcript = models.TextField(blank=True, editable=False, help_text="Text of the newest finished transcript.")
    project_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True,
                                                help_text="The project this meeting belongs to, if any.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    analysis_status = models.CharField(max_length=10, choices=Analysis.choices, default=Analysis.NONE)
    analysis_error = models.CharField(max_length=500, blank=True)
    analyzed_by = models.CharField(max_length=30, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(duration_minutes__lte=24 * 60), name="meeting_duration_max")]

    def __str__(self):
        return self.title


class Attendee(models.Model):
    """Someone at the meeting: a user, or a guest by name and email."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="meeting_attendances")
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], condition=Q(user__isnull=False),
                                    name="attendee_user_once"),
            models.UniqueConstraint(fields=["meeting", "name"], name="attendee_name_once"),
        ]

    def __str__(self):
        return self.name


class MeetingVersion(models.Model):
    """A snapshot of a meeting's fields after one edit."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "-number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="meeting_version_once")]

    def __str__(self):
        return f"{self.meeting} v{self.number}"


class Comment(TimeStampedModel):
    """A comment on a meeting, possibly a reply to another."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=5000)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class Recording(TimeStampedModel):
    """An uploaded recording and the state of its transcription."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recordings")
    file = models.FileField(upload_to=recording_path, max_length=200)
    original_name = models.CharField(max_length=255)
    audio_format = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    duration = models.FloatField(null=True, blank=True, help_text="Seconds.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    error = models.CharField(max_length=500, blank=True)
    provider = models.CharField(max_length=30, blank=True)
    processing_seconds = models.FloatField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=1),
                                              name="recording_progress_range")]

    def __str__(self):
        return self.original_name


class Segment(models.Model):
    """A timed piece of a recording's transcript."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="segments")
    index = models.PositiveIntegerField()
    start = models.FloatField()
    end = models.FloatField()
    text = models.TextField()
    speaker = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["recording", "index"]
        constraints = [models.UniqueConstraint(fields=["recording", "index"], name="segment_index_once")]

    def __str__(self):
        return f"[{self.start:.1f}] {self.text[:40]}"


class ActionItem(TimeStampedModel):
    """Work someone takes away from a meeting; analysis proposes, a person accepts, edits or drops."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    task = models.CharField(max_length=300)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="meeting_action_items")
    owner_name = models.CharField(max_length=150, blank=True)
    due = models.DateField(null=True, blank=True, db_index=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    confidence = models.FloatField(null=True, blank=True)
    start = models.FloatField(null=True, blank=True, help_text="Seconds into the recording where it was said.")
    source_text = models.TextField(blank=True)
    proposed_by = models.CharField(max_length=30, blank=True, help_text="The analyzer that proposed it.")
    completed_at = models.DateTimeField(null=True, blank=True)
    project_task_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status="done", completed_at__isnull=False)
                                   | (~Q(status="done") & Q(completed_at__isnull=True)),
                                   name="action_item_completed_when_done"),
        ]

    def __str__(self):
        return self.task

    @property
    def owner_label(self) -> str:
        if self.owner_user_id and not self.owner_name:
            return self.owner_user.get_username()
        return self.owner_name
