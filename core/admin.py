"""Operator screens for the audit trail and the event store (read-only: history is not edited)."""
from django.contrib import admin

from .models import AuditEntry, Event


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "actor_kind", "action", "object_type", "object_repr", "ip", "via"]
    list_filter = ["actor_kind", "action", "object_type", "via", "at"]
    search_fields = ["actor_label", "object_repr", "object_id", "action"]
    date_hierarchy = "at"


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "topic", "type"]
    list_filter = ["type"]
    search_fields = ["topic", "type"]
