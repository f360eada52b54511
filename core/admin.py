"""Operator screens for the audit trail and the event store (read-only: history is not edited)."""
from django.contrib import admin

from .admin_tools import ReadOnlyAdmin
from .models import AuditEntry, Event, OutboxJob


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


@admin.register(OutboxJob)
class OutboxJobAdmin(ReadOnlyAdmin):
    """Background jobs kept while the broker was down; the send-outbox task queues them."""

    list_display = ["id", "created_at", "task", "attempts", "last_error"]
    list_filter = ["task"]
