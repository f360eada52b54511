"""Operator screens for machines, jobs, commands, telemetry and safety events; changes go through the services."""
from django import forms
from django.contrib import admin, messages

from core.admin_tools import ReadOnlyAdmin, ServiceAdmin
from core.errors import DomainError

from . import services
from .models import Command, Job, Machine, SafetyEvent, TelemetrySample
from .services.machines import MACHINE_FIELDS


class MachineForm(forms.ModelForm):
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                             help_text="API key (OctoPrint) or password (PrusaLink); left empty keeps the stored one.")

    class Meta:
        model = Machine
        fields = ["name", "kind", "driver", "asset", "device", "connection", "capabilities", "max_hotend", "max_bed",
                  "travel", "park", "material", "material_location", "enabled"]


def _each(modeladmin, request, queryset, service, done: str):
    for obj in queryset:
        try:
            service(request.user, obj)
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.detail}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{obj}: {done}.", messages.SUCCESS)


@admin.action(description="Connect selected machines")
def connect_selected(modeladmin, request, queryset):
    """Admin action: the connect service for each machine."""
    _each(modeladmin, request, queryset, services.connect_machine, "connecting")


@admin.action(description="Emergency stop selected machines")
def stop_selected(modeladmin, request, queryset):
    """Admin action: the emergency stop service for each machine."""
    _each(modeladmin, request, queryset, services.emergency_stop, "stopped")


@admin.action(description="Put selected machines into maintenance")
def maintenance_on(modeladmin, request, queryset):
    """Admin action: the maintenance service for each machine."""
    _each(modeladmin, request, queryset, lambda user, machine: services.set_maintenance(user, machine, True),
          "in maintenance")


@admin.action(description="Bring selected machines back from maintenance")
def maintenance_off(modeladmin, request, queryset):
    """Admin action: the maintenance service, the other way."""
    _each(modeladmin, request, queryset, lambda user, machine: services.set_maintenance(user, machine, False),
          "back in service")


@admin.register(Machine)
class MachineAdmin(ServiceAdmin):
    form = MachineForm
    list_display = ["name", "kind", "driver", "state", "last_seen_at", "enabled"]
    list_filter = ["kind", "driver", "state", "enabled"]
    search_fields = ["name"]
    readonly_fields = ["state", "state_reason", "state_changed_at", "last_seen_at", "telemetry"]
    actions = [connect_selected, stop_selected, maintenance_on, maintenance_off]

    def save_through_service(self, request, obj, form, change):
        """Create or change through the machine services; the secret field is sealed there."""
        fields = self.form_fields(form, change, MACHINE_FIELDS)
        connection = None
        if not change or "connection" in form.changed_data or form.cleaned_data.get("secret"):
            connection = dict(form.cleaned_data.get("connection") or {})
            secret = form.cleaned_data.get("secret")
            if secret:
                key = "api_key" if form.cleaned_data.get("driver") == "octoprint" else "password"
                connection[key] = secret
        if change:
            return services.update_machine(request.user, obj.pk, connection=connection, **fields)
        return services.create_machine(request.user, connection=connection, **fields)

    def delete_through_service(self, request, obj):
        services.delete_machine(request.user, obj)


@admin.action(description="Start selected jobs")
def start_selected(modeladmin, request, queryset):
    """Admin action: the start service for each job."""
    _each(modeladmin, request, queryset, services.start_job, "started")


@admin.action(description="Cancel selected jobs")
def cancel_selected(modeladmin, request, queryset):
    """Admin action: the cancel service for each job."""
    _each(modeladmin, request, queryset, services.cancel_job, "cancelled")


@admin.action(description="Resume selected jobs (confirms interrupted ones)")
def resume_selected(modeladmin, request, queryset):
    """Admin action: the resume service for each job; for an interrupted job this is the operator's confirmation."""
    _each(modeladmin, request, queryset, services.resume_job, "resumed")


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "machine", "user", "task", "status", "lines_acked", "total_lines", "created_at"]
    list_select_related = ["machine", "user", "task"]
    list_filter = ["status", "machine"]
    search_fields = ["original_name"]
    actions = [start_selected, resume_selected, cancel_selected]

    def has_change_permission(self, request, obj=None):
        # Actions need change permission on the list; the form itself stays read-only (fields below).
        return obj is None and super(ReadOnlyAdmin, self).has_change_permission(request, obj)


@admin.register(Command)
class CommandAdmin(ReadOnlyAdmin):
    list_display = ["id", "machine", "name", "status", "user", "created_at", "done_at"]
    list_select_related = ["machine", "user"]
    list_filter = ["status", "name", "machine"]


@admin.register(TelemetrySample)
class TelemetryAdmin(ReadOnlyAdmin):
    list_display = ["machine", "at", "minute"]
    list_filter = ["machine", "minute"]


@admin.action(description="Acknowledge selected safety events")
def acknowledge_selected(modeladmin, request, queryset):
    """Admin action: the acknowledge service for each event."""
    _each(modeladmin, request, queryset, services.acknowledge_safety_event, "acknowledged")


@admin.action(description="Resolve selected safety events")
def resolve_selected(modeladmin, request, queryset):
    """Admin action: the resolve service for each event."""
    _each(modeladmin, request, queryset, services.resolve_safety_event, "resolved")


@admin.register(SafetyEvent)
class SafetyEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "machine", "level", "kind", "status", "message"]
    list_filter = ["level", "status", "kind", "machine"]
    actions = [acknowledge_selected, resolve_selected]

    def has_change_permission(self, request, obj=None):
        return obj is None and super(ReadOnlyAdmin, self).has_change_permission(request, obj)
