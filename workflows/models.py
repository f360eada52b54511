"""Workflows, their runs and tasks, the agents that do the work, suggestions, comments and triggers.

A run keeps a copy of the steps it started with (``Run.steps``), so editing a workflow
never changes a run under way. Runs of other apps (print jobs, power cycles,
transcriptions) are timeline entries: a ``Run`` with another ``source`` and no workflow,
written through ``workflows.services.timeline`` and never a copy of those apps' tables.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel


class Workflow(TimeStampedModel):
    """A named, ordered list of steps that agents carry out."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    steps = models.JSONField(default=list, help_text="Ordered steps, as services.workflows.clean_steps shapes them.")
    version = models.PositiveIntegerField(default=1, help_text="Goes up each time the steps change.")
    enabled = models.BooleanField(default=True)
    priority = models.IntegerField(default=0, help_text="Tasks of higher-priority workflows are claimed first.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Run(TimeStampedModel):
    """One execution of a workflow, or one activity of another app shown on the timeline."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        RETRYING = "retrying", "Retrying"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        CRASHED = "crashed", "Crashed"

    class Origin(models.TextChoices):
        PERSON = "person", "A person"
        SCHEDULE = "schedule", "A schedule"
        TRIGGER = "trigger", "A trigger"
        SUGGESTION = "suggestion", "An approved suggestion"
        APP = "app", "Another app"

    workflow = models.ForeignKey(Workflow, null=True, blank=True, on_delete=models.PROTECT, related_name="runs")
    source = models.CharField(max_length=30, default="workflows", db_index=True,
                              help_text="The app the run belongs to; 'workflows' for workflow runs.")
    reference = models.CharField(max_length=80, blank=True, help_text="The other app's own id for the activity.")
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=300, blank=True, help_text="Where the other app shows the activity.")
    steps = models.JSONField(default=list)
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    priority = models.IntegerField(default=0)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.PERSON)
    origin_detail = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    scheduled_for = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="When the run should be done by.")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="workflows_run_progress_at_most_100"),
            models.UniqueConstraint(fields=["source", "reference"], condition=~Q(reference=""),
                                    name="workflows_run_one_entry_per_activity"),
        ]

    def __str__(self):
        return f"{self.title} #{self.pk}"

    @property
    def duration(self):
        """Seconds from start to end (or until now while it runs), None before it starts."""
        from django.utils import timezone

        if self.started_at is None:
            return None
        return ((self.ended_at or timezone.now()) - self.started_at).total_seconds()

    @property
    def is_over(self) -> bool:
        return self.state in FINISHED_RUN_STATES


FINISHED_RUN_STATES = {Run.State.COMPLETED, Run.State.FAILED, Run.State.CANCELLED, Run.State.CRASHED}


class Agent(TimeStampedModel):
    """A program that claims tasks matching its capabilities, authenticated by its API key."""

    class Status(models.TextChoices):
        ONLINE = "online", "Online"
        BUSY = "busy", "Busy"
        OFFLINE = "offline", "Offline"

    name = models.CharField(max_length=100, unique=True)
    capabilities = models.JSONField(default=list)
    api_key = models.OneToOneField("accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="agent")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFLINE, db_index=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    successes = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def success_rate(self):
        """Share of finished tasks that succeeded (0..1), None before the first one."""
        done = self.successes + self.failures
        return round(self.successes / done, 3) if done else None


class Task(TimeStampedModel):
    """One step of one run; agents claim, report on and finish tasks."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for the step before"
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    capability = models.CharField(max_length=60, db_index=True)
    parameters = models.JSONField(default=dict, blank=True)
    timeout_seconds = models.PositiveIntegerField(default=600)
    retries = models.PositiveSmallIntegerField(default=0)
    backoff_seconds = models.PositiveIntegerField(default=10)
    on_agent_lost = models.CharField(max_length=10, default="retry")
    priority = models.IntegerField(default=0)
    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True, help_text="A retried task waits until then.")
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    log_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="workflows_task_one_per_step"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="workflows_task_progress_at_most_100"),
            models.CheckConstraint(condition=~Q(state="running") | Q(agent__isnull=False),
                                   name="workflows_running_task_has_agent"),
        ]
        indexes = [models.Index(fields=["state", "capability", "priority"], name="workflows_claimable")]

    def __str__(self):
        return f"{self.name} (run {self.run_id})"

    @property
    def duration(self):
        if self.started_at is None or self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds()


class LogLine(models.Model):
    """One line a task's agent reported; written in batches."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="log_lines")
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    level = models.CharField(max_length=10, default="info")
    message = models.TextField()

    class Meta:
        ordering = ["task_id", "number"]
        constraints = [models.UniqueConstraint(fields=["task", "number"], name="workflows_log_line_numbered_once")]

    def __str__(self):
        return f"{self.task_id}:{self.number} {self.message[:60]}"


class Suggestion(TimeStampedModel):
    """Something an agent proposes; people approve or reject it while it is pending."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="suggestions")
    action = models.CharField(max_length=200)
    reasoning = models.TextField(blank=True)
    confidence = models.FloatField(default=0.5)
    run = models.ForeignKey(Run, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions")
    workflow = models.ForeignKey(Workflow, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 help_text="Approving starts this workflow.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    started_run = models.ForeignKey(Run, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                                   name="workflows_suggestion_confidence_0_to_1"),
        ]

    def __str__(self):
        return self.action


class Comment(TimeStampedModel):
    """A remark on a run by a person or an agent."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    body = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"comment on run {self.run_id}"


class Trigger(TimeStampedModel):
    """Starts a workflow when a bus event matches its topic, type and fields, at most once per cooldown."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="triggers")
    name = models.CharField(max_length=120)
    topic = models.CharField(max_length=125, help_text="Bus topic, e.g. 'inventory' or 'device:3'.")
    event_type = models.CharField(max_length=80, blank=True, help_text="Empty: any type on the topic.")
    fields = models.JSONField(default=dict, blank=True, help_text="Event data fields that must be equal.")
    cooldown_seconds = models.PositiveIntegerField(default=300)
    enabled = models.BooleanField(default=True)
    last_fired_at = models.DateTimeField(null=True, blank=True)
    fired_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
