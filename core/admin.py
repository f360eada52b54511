"""Operator screens for the audit trail and the event store (read-only: history is not edited)."""
from django.apps import apps
from django.contrib import admin

from .admin_tools import ReadOnlyAdmin
from .models import AuditEntry, Event


class ObjectTypeFilter(admin.SimpleListFilter):
    """Filter by the kind of object changed; the choices come from the installed models, not from a
    ``SELECT DISTINCT`` over the trail (which only grows)."""

    title = "object type"
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        return sorted((m._meta.label_lower, m._meta.label_lower) for m in apps.get_models())

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


class ViaFilter(admin.SimpleListFilter):
    """Filter by the door a change came through (the doors ``core.context`` names)."""

    title = "via"
    parameter_name = "via"
    DOORS = ["web", "command", "task", "websocket", "system"]

    def lookups(self, request, model_admin):
        return [(door, door) for door in self.DOORS]

    def queryset(self, request, queryset):
        return queryset.filter(via=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "actor_kind", "action", "object_type", "object_repr", "ip", "via"]
    # Filters whose choices are fixed (field choices, the model list, date ranges): none of them reads
    # the whole table to build its menu, and the list counts only the filtered rows, once.
    list_filter = ["actor_kind", ObjectTypeFilter, ViaFilter, "at"]
    search_fields = ["actor_label", "object_repr", "object_id", "action"]
    show_full_result_count = False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "topic", "type"]
    list_filter = ["type"]
    search_fields = ["topic", "type"]
