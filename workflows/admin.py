"""Operator screens for workflows, runs, agents, suggestions and triggers; changes go through the services."""
import json

from django.contrib import admin, messages

from core.admin_tools import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin
from core.errors import DomainError

from . import services
from .models import Agent, Run, Suggestion, Task, Trigger, Workflow


def _each(modeladmin, request, queryset, service, done: str):
    """Call ``service(user, obj)`` for every selected row; refusals are shown as messages."""
    count = 0
    for obj in queryset:
        try:
            service(request.user, obj)
            count += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.detail}", messages.ERROR)
    if count:
        modeladmin.message_user(request, f"{count} {done}.", messages.SUCCESS)


@admin.register(Workflow)
class WorkflowAdmin(ServiceAdmin):
    list_display = ["name", "version", "enabled", "priority", "created_at"]
    list_filter = ["enabled"]
    search_fields = ["name", "description"]
    readonly_fields = ["version"]
    fields = ["name", "description", "steps", "enabled", "priority", "version"]
    actions = ["start_runs"]

    def save_through_service(self, request, obj, form, change):
        """Create or change the workflow through its services (steps are checked there)."""
        data = self.form_fields(form, change, {"name", "description", "steps", "enabled", "priority"})
        if isinstance(data.get("steps"), str):
            data["steps"] = json.loads(data["steps"])
        if change:
            return services.update_workflow(request.user, obj, **data)
        return services.create_workflow(request.user, **data)

    def delete_through_service(self, request, obj):
        services.delete_workflow(request.user, obj)

    @admin.action(description="Start a run of each selected workflow")
    def start_runs(self, request, queryset):
        _each(self, request, queryset, services.start_workflow, "runs started")


class TaskInline(ReadOnlyInline):
    model = Task
    fields = ["position", "name", "capability", "state", "agent", "attempts", "progress", "error"]
    readonly_fields = fields


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "source", "state", "progress", "origin", "started_at", "ended_at"]
    list_filter = ["state", "source", "origin"]
    list_select_related = ["workflow"]
    search_fields = ["title", "reference"]
    inlines = [TaskInline]
    actions = ["cancel_runs", "retry_runs"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super(ReadOnlyAdmin, self).has_change_permission(request, obj)

    @admin.action(description="Cancel the selected runs")
    def cancel_runs(self, request, queryset):
        _each(self, request, queryset, services.cancel_run, "runs cancelled")

    @admin.action(description="Retry the selected runs")
    def retry_runs(self, request, queryset):
        _each(self, request, queryset, services.retry_run, "runs retried")


@admin.register(Agent)
class AgentAdmin(ReadOnlyAdmin):
    list_display = ["name", "status", "last_seen_at", "successes", "failures", "success_rate"]
    list_filter = ["status"]
    search_fields = ["name"]
    actions = ["rotate_keys"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super(ReadOnlyAdmin, self).has_change_permission(request, obj)

    @admin.action(description="Give the selected agents new keys (shown once)")
    def rotate_keys(self, request, queryset):
        for agent in queryset:
            try:
                agent, secret = services.rotate_agent_key(request.user, agent)
            except DomainError as exc:
                self.message_user(request, f"{agent}: {exc.detail}", messages.ERROR)
                continue
            self.message_user(request, f"New key of {agent.name} (shown only now): {secret}", messages.WARNING)


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ["action", "agent", "confidence", "state", "decided_by", "created_at"]
    list_filter = ["state"]
    list_select_related = ["agent", "decided_by"]
    search_fields = ["action", "reasoning"]
    actions = ["approve", "reject"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super(ReadOnlyAdmin, self).has_change_permission(request, obj)

    @admin.action(description="Approve the selected suggestions")
    def approve(self, request, queryset):
        _each(self, request, queryset, services.approve_suggestion, "suggestions approved")

    @admin.action(description="Reject the selected suggestions")
    def reject(self, request, queryset):
        _each(self, request, queryset, services.reject_suggestion, "suggestions rejected")


@admin.register(Trigger)
class TriggerAdmin(ServiceAdmin):
    list_display = ["name", "workflow", "topic", "event_type", "cooldown_seconds", "enabled", "last_fired_at"]
    list_filter = ["enabled"]
    list_select_related = ["workflow"]
    search_fields = ["name", "topic", "event_type"]
    fields = ["workflow", "name", "topic", "event_type", "fields", "cooldown_seconds", "enabled"]
    FIELDS = {"name", "topic", "event_type", "fields", "cooldown_seconds", "enabled"}

    def save_through_service(self, request, obj, form, change):
        """Create or change the trigger through its services (the filter is checked there)."""
        data = self.form_fields(form, change, self.FIELDS | {"workflow"})
        if change:
            data.pop("workflow", None)
            return services.update_trigger(request.user, obj, **data)
        workflow = data.pop("workflow")
        return services.create_trigger(request.user, workflow, **data)

    def delete_through_service(self, request, obj):
        services.delete_trigger(request.user, obj)
