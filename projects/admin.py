"""Operator screens for projects, tasks, teams, BOM lines and files; every change goes through the services."""
from django.contrib import admin, messages

from core.admin_tools import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin
from core.errors import DomainError

from . import services
from .models import BomLine, FileVersion, Project, ProjectFile, ShareLink, Task, Team, TeamMembership
from .services.projects import PROJECT_FIELDS
from .services.tasks import TASK_FIELDS


def _each(modeladmin, request, queryset, service, done: str):
    """Run ``service(user, obj)`` for each selected row; refusals are shown per row."""
    count = 0
    for obj in queryset:
        try:
            service(request.user, obj)
            count += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.detail}", messages.ERROR)
    if count:
        modeladmin.message_user(request, f"{count} {done}.", messages.SUCCESS)


@admin.action(description="Archive selected projects", permissions=["change"])
def archive_selected(modeladmin, request, queryset):
    """Admin action: the archive service for each selected project."""
    _each(modeladmin, request, queryset, services.archive_project, "project(s) archived")


@admin.action(description="Restore selected projects", permissions=["change"])
def restore_selected(modeladmin, request, queryset):
    """Admin action: the restore service for each selected project."""
    _each(modeladmin, request, queryset, services.restore_project, "project(s) restored")


@admin.action(description="Duplicate selected projects (tasks and BOM)", permissions=["add"])
def duplicate_selected(modeladmin, request, queryset):
    """Admin action: the duplicate service for each selected project."""
    _each(modeladmin, request, queryset, services.duplicate_project, "project(s) copied")


class BomInline(ReadOnlyInline):
    model = BomLine
    fields = ["material", "required_quantity", "allocated_quantity", "critical"]
    readonly_fields = fields


@admin.register(Project)
class ProjectAdmin(ServiceAdmin):
    list_display = ["name", "status", "owner", "team", "due_date", "created_at"]
    list_filter = ["status", "team"]
    list_select_related = ["owner", "team"]
    search_fields = ["name", "description"]
    fields = ["name", "description", "team", "status", "start_date", "due_date", "tags"]
    actions = [archive_selected, restore_selected, duplicate_selected]
    inlines = [BomInline]

    def save_through_service(self, request, obj, form, change):
        """Create (the operator owns it) or change through the project services."""
        fields = self.form_fields(form, change, PROJECT_FIELDS)
        if change:
            return services.update_project(request.user, obj, **fields)
        return services.create_project(request.user, **fields)


@admin.register(Task)
class TaskAdmin(ServiceAdmin):
    list_display = ["title", "project", "status", "position", "priority", "assignee", "due_date"]
    list_filter = ["status", "priority"]
    list_select_related = ["project", "assignee"]
    search_fields = ["title", "description", "project__name"]
    fields = ["project", "title", "description", "status", "priority", "parent", "assignee", "due_date",
              "estimated_hours", "tags"]
    raw_id_fields = ["project", "parent", "assignee"]

    def get_readonly_fields(self, request, obj=None):
        return ["project"] if obj else []

    def save_through_service(self, request, obj, form, change):
        """Create at the bottom of its column, or change (a new status moves it) through the task services."""
        fields = self.form_fields(form, change, TASK_FIELDS)
        if change:
            return services.update_task(request.user, obj, **fields)
        return services.create_task(request.user, form.cleaned_data["project"], **fields)

    def delete_through_service(self, request, obj):
        services.delete_task(request.user, obj)


class MembershipInline(ReadOnlyInline):
    model = TeamMembership
    fields = ["user", "role"]
    readonly_fields = fields


@admin.register(Team)
class TeamAdmin(ServiceAdmin):
    list_display = ["name", "created_by", "created_at"]
    list_select_related = ["created_by"]
    search_fields = ["name"]
    fields = ["name", "description"]
    inlines = [MembershipInline]

    def save_through_service(self, request, obj, form, change):
        """Create (the operator becomes lead) or rename through the team services."""
        fields = self.form_fields(form, change, ["name", "description"])
        if change:
            return services.update_team(request.user, obj, **fields)
        return services.create_team(request.user, **fields)


@admin.register(BomLine)
class BomLineAdmin(ServiceAdmin):
    list_display = ["project", "material", "required_quantity", "allocated_quantity", "critical"]
    list_filter = ["critical"]
    list_select_related = ["project", "material"]
    search_fields = ["project__name", "material__name", "material__sku"]
    fields = ["project", "material", "location", "required_quantity", "critical", "notes"]
    raw_id_fields = ["project"]

    def save_through_service(self, request, obj, form, change):
        """Add or change a line through the BOM services (never its allocated quantity)."""
        fields = self.form_fields(form, change, ["material", "location", "required_quantity", "critical", "notes"])
        if change:
            return services.update_bom_line(request.user, obj, **fields)
        return services.add_bom_line(request.user, form.cleaned_data["project"], **fields)

    def delete_through_service(self, request, obj):
        services.delete_bom_line(request.user, obj)


class VersionInline(ReadOnlyInline):
    model = FileVersion
    fields = ["number", "size", "sha256", "content_type", "uploaded_by", "is_current", "created_at"]
    readonly_fields = fields


@admin.register(ProjectFile)
class ProjectFileAdmin(ReadOnlyAdmin):
    """Files are uploaded on the project page or the API (content checks); here they are looked at."""

    list_display = ["name", "folder", "project", "created_at"]
    list_select_related = ["project"]
    search_fields = ["name", "folder", "project__name"]
    inlines = [VersionInline]


@admin.action(description="Revoke selected share links", permissions=["change"])
def revoke_selected(modeladmin, request, queryset):
    """Admin action: the revoke service for each selected share link."""
    _each(modeladmin, request, queryset.select_related("file"), services.revoke_share, "link(s) revoked")


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnlyAdmin):
    list_display = ["file", "expires_at", "revoked_at", "downloads", "created_by"]
    list_select_related = ["file", "created_by"]
    search_fields = ["file__name"]
    actions = [revoke_selected]

    def has_change_permission(self, request, obj=None):
        # Only so the revoke action is offered; the form itself has no editable fields.
        return obj is None and request.user.has_perm("projects.change_sharelink")
