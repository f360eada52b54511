"""Projects, who is in them, and what material they need (bill of materials)."""
from django.conf import settings
from django.db import models

from core.models import PublicIdModel, TimeStampedModel

QTY = {"max_digits": 14, "decimal_places": 3}


class Project(PublicIdModel):
    """A piece of work with tasks, material and files; seen by its members, its team and operators."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        ARCHIVED = "archived", "Archived"

    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_projects")
    team = models.ForeignKey("projects.Team", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="projects")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    # What the project was before it was archived, so restoring puts it back as it was.
    status_before_archive = models.CharField(max_length=10, choices=Status.choices, blank=True, editable=False)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    tags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start_date__isnull=True) | models.Q(due_date__isnull=True)
                                   | models.Q(due_date__gte=models.F("start_date")),
                                   name="projects_project_due_after_start"),
        ]

    def __str__(self):
        return self.name


class ProjectMember(TimeStampedModel):
    """A person added to one project by name (besides its owner and its team)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships")

    class Meta:
        ordering = ["project_id", "user__username"]
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="projects_member_once")]

    def __str__(self):
        return f"{self.user} on {self.project}"


class BomLine(TimeStampedModel):
    """One material a project needs: how much, how much is set aside for it, and whether it is critical."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="bom_lines")
    material = models.ForeignKey("inventory.Material", on_delete=models.PROTECT, related_name="+")
    # Where allocations are taken from; empty when the material is stocked in one place only.
    location = models.ForeignKey("inventory.Location", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    required_quantity = models.DecimalField(**QTY)
    allocated_quantity = models.DecimalField(**QTY, default=0, editable=False)
    critical = models.BooleanField(default=False)
    notes = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["project_id", "-critical", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "material"], name="projects_bom_material_once"),
            models.CheckConstraint(condition=models.Q(required_quantity__gt=0), name="projects_bom_required_gt_0"),
            models.CheckConstraint(condition=models.Q(allocated_quantity__gte=0),
                                   name="projects_bom_allocated_gte_0"),
        ]

    def __str__(self):
        return f"{self.required_quantity} of {self.material_id} for {self.project_id}"
