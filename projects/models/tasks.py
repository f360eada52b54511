"""Tasks on a project's board, their comments, worklogs and links to bookings and assets."""
from django.conf import settings
from django.db import models

from core.models import PublicIdModel, TimeStampedModel

HOURS = {"max_digits": 7, "decimal_places": 2}


class Task(PublicIdModel):
    """A card on the board: one status (its column) and a position in that column (0..n-1).

    On PostgreSQL a unique constraint on (project, status, position), checked at commit, refuses
    two cards in one place (migration 0001 adds it there only: SQLite cannot defer it, and a move
    shifts a column's positions in one statement). ``services.tasks`` keeps columns dense under
    a lock of the project row.
    """

    class Status(models.TextChoices):
        TODO = "todo", "To do"
        IN_PROGRESS = "in_progress", "In progress"
        REVIEW = "review", "Review"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TODO)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    position = models.PositiveIntegerField(default=0, editable=False)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="assigned_tasks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    due_date = models.DateField(null=True, blank=True)
    estimated_hours = models.DecimalField(**HOURS, null=True, blank=True)
    actual_hours = models.DecimalField(**HOURS, default=0)
    tags = models.JSONField(default=list, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["project_id", "status", "position"]
        indexes = [models.Index(fields=["project", "status", "position"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(estimated_hours__isnull=True) | models.Q(estimated_hours__gte=0),
                                   name="projects_task_estimate_gte_0"),
            models.CheckConstraint(condition=models.Q(actual_hours__gte=0), name="projects_task_actual_gte_0"),
            models.CheckConstraint(condition=models.Q(status="done", completed_at__isnull=False)
                                   | (~models.Q(status="done") & models.Q(completed_at__isnull=True)),
                                   name="projects_task_completed_only_when_done"),
        ]

    def __str__(self):
        return self.title


class TaskComment(TimeStampedModel):
    """A remark on a task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"comment {self.pk} on {self.task_id}"


class WorkLog(TimeStampedModel):
    """Hours someone spent on a task on a given day."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="worklogs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    hours = models.DecimalField(**HOURS)
    note = models.CharField(max_length=255, blank=True)
    date = models.DateField()

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(hours__gt=0), name="projects_worklog_hours_gt_0")]

    def __str__(self):
        return f"{self.hours} h on {self.task_id}"


class TaskLink(TimeStampedModel):
    """A task's link to a booking (scheduler) or an asset (inventory); exactly one of the two."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="links")
    booking = models.ForeignKey("scheduler.Booking", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    asset = models.ForeignKey("inventory.Asset", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=(models.Q(booking__isnull=False) & models.Q(asset__isnull=True))
                                   | (models.Q(booking__isnull=True) & models.Q(asset__isnull=False)),
                                   name="projects_link_one_target"),
            models.UniqueConstraint(fields=["task", "booking"], name="projects_link_booking_once"),
            models.UniqueConstraint(fields=["task", "asset"], name="projects_link_asset_once"),
        ]

    def __str__(self):
        return f"link {self.pk} of task {self.task_id}"
