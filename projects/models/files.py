"""Project files: a name in a folder, its versions on disk under generated names, and share links."""
import uuid

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


def version_storage_name(instance, filename):
    """Where a version's bytes live: a random name, so no upload name can steer the path."""
    return f"projects/files/{uuid.uuid4().hex}"


class ProjectFile(TimeStampedModel):
    """A named document of a project; uploading the same name into the same folder adds a version."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="files")
    folder = models.CharField(max_length=255, blank=True, default="", help_text="Like 'drawings/rev-a'; '' is the top.")
    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["project_id", "folder", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "folder", "name"], name="projects_file_name_once")]

    def __str__(self):
        return f"{self.folder}/{self.name}" if self.folder else self.name


class FileVersion(TimeStampedModel):
    """One upload of a file: its number, checksum, size, notes and who uploaded it."""

    file = models.ForeignKey(ProjectFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.FileField(upload_to=version_storage_name, max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    change_notes = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["file_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="projects_version_number_once"),
            models.UniqueConstraint(fields=["file"], condition=models.Q(is_current=True),
                                    name="projects_version_one_current"),
        ]

    def __str__(self):
        return f"{self.file} v{self.number}"


class ShareLink(TimeStampedModel):
    """A link that opens one file (a fixed version, or whatever is current) without logging in."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.ForeignKey(ProjectFile, on_delete=models.CASCADE, related_name="share_links")
    version = models.ForeignKey(FileVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"share {self.key} of {self.file}"
