"""Operator screens for meetings; saves and actions go through the services."""
from django.contrib import admin, messages

from core.admin_tools import ReadOnlyInline, ServiceAdmin
from core.errors import DomainError

from . import services
from .models import ActionItem, Attendee, Comment, Meeting, Recording

MEETING_ADMIN_FIELDS = ["title", "kind", "starts_at", "duration_minutes", "agenda", "notes", "project_id"]


def _each(modeladmin, request, queryset, call, done: str):
    changed = 0
    for obj in queryset:
        try:
            call(obj)
            changed += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.detail}", messages.ERROR)
    if changed:
        modeladmin.message_user(request, f"{changed} {done}.", messages.SUCCESS)


class AttendeeInline(ReadOnlyInline):
    model = Attendee
    fields = ["name", "email", "user"]


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    """Meetings; the list includes deleted ones so they can be restored."""

    list_display = ["title", "kind", "starts_at", "status", "analysis_status", "deleted_at"]
    list_filter = ["kind", "status", "analysis_status"]
    search_fields = ["title", "agenda", "notes"]
    fields = MEETING_ADMIN_FIELDS
    inlines = [AttendeeInline]
    actions = ["publish", "archive", "restore", "analyze"]

    def save_through_service(self, request, obj, form, change):
        data = self.form_fields(form, change, MEETING_ADMIN_FIELDS)
        if change:
            return services.update_meeting(request.user, obj.pk, **data)
        return services.create_meeting(request.user, **data)

    def delete_through_service(self, request, obj):
        services.delete_meeting(request.user, obj.pk)

    @admin.action(description="Publish selected meetings")
    def publish(self, request, queryset):
        _each(self, request, queryset, lambda m: services.set_meeting_status(request.user, m.pk, "published"),
              "published")

    @admin.action(description="Archive selected meetings")
    def archive(self, request, queryset):
        _each(self, request, queryset, lambda m: services.set_meeting_status(request.user, m.pk, "archived"),
              "archived")

    @admin.action(description="Restore selected deleted meetings")
    def restore(self, request, queryset):
        _each(self, request, queryset, lambda m: services.restore_meeting(request.user, m.pk), "restored")

    @admin.action(description="Analyze selected meetings again")
    def analyze(self, request, queryset):
        _each(self, request, queryset, lambda m: services.start_analysis(request.user, m.pk), "queued for analysis")


@admin.register(Recording)
class RecordingAdmin(ServiceAdmin):
    """Recordings are uploaded on the meeting page or the API; here they are watched and re-run."""

    list_display = ["original_name", "meeting", "status", "progress", "duration", "provider", "created_at"]
    list_select_related = ["meeting"]
    list_filter = ["status", "provider"]
    search_fields = ["original_name", "meeting__title"]
    readonly_fields = ["meeting", "original_name", "audio_format", "size", "duration", "status", "progress", "error",
                       "provider", "processing_seconds"]
    fields = readonly_fields
    actions = ["transcribe"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Transcribe selected recordings again")
    def transcribe(self, request, queryset):
        _each(self, request, queryset, lambda r: services.start_transcription(request.user, r.pk), "queued")


@admin.register(ActionItem)
class ActionItemAdmin(ServiceAdmin):
    """Action items: edited, accepted, dropped and completed through the services."""

    list_display = ["task", "owner_name", "due", "priority", "status", "meeting"]
    list_select_related = ["meeting"]
    list_filter = ["status", "priority"]
    search_fields = ["task", "owner_name", "meeting__title"]
    fields = ["task", "owner_name", "due", "priority"]
    actions = ["accept", "mark_done", "drop", "make_tasks"]

    def has_add_permission(self, request):
        return False

    def save_through_service(self, request, obj, form, change):
        return services.update_item(request.user, obj.pk, **self.form_fields(form, change, self.fields))

    @admin.action(description="Accept selected proposals")
    def accept(self, request, queryset):
        _each(self, request, queryset, lambda i: services.accept_item(request.user, i.pk), "accepted")

    @admin.action(description="Mark selected items done")
    def mark_done(self, request, queryset):
        _each(self, request, queryset, lambda i: services.set_item_status(request.user, i.pk, "done"), "done")

    @admin.action(description="Make project tasks of selected open items (their meeting's project)")
    def make_tasks(self, request, queryset):
        _each(self, request, queryset, lambda i: services.convert_to_task(request.user, i.pk), "made tasks")

    @admin.action(description="Drop selected items")
    def drop(self, request, queryset):
        _each(self, request, queryset, lambda i: services.set_item_status(request.user, i.pk, "dropped"), "dropped")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments are written on the meeting page; here they are only read."""

    list_display = ["meeting", "author", "created_at"]
    list_select_related = ["meeting", "author"]
    search_fields = ["body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
