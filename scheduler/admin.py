"""Operator screens for devices and bookings; every change goes through the services."""
from django.contrib import admin, messages

from core.admin_tools import ServiceAdmin
from core.errors import DomainError

from . import services
from .models import Booking, BookingSeries, Device, MaintenanceWindow
from .services.devices import DEVICE_FIELDS


class MaintenanceWindowInline(admin.TabularInline):
    """A device's maintenance windows; ticking "delete" calls one off through the service."""

    model = MaintenanceWindow
    extra = 0
    fields = ["start", "end", "reason", "created_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        # New windows go through the maintenance service (API), which reports affected bookings.
        return False


@admin.register(Device)
class DeviceAdmin(ServiceAdmin):
    list_display = ["name", "device_type", "status", "max_holders", "auto_approve", "requires_qualification"]
    list_filter = ["status", "device_type", "auto_approve", "requires_qualification", "owner_group"]
    list_select_related = ["device_type"]
    search_fields = ["name", "description"]
    filter_horizontal = ["qualified_users"]
    inlines = [MaintenanceWindowInline]

    def save_through_service(self, request, obj, form, change):
        """Create or change through the device services, so the change is audited and published."""
        fields = {name: form.cleaned_data[name] for name in DEVICE_FIELDS if name in form.cleaned_data}
        if change:
            fields = {name: value for name, value in fields.items() if name in form.changed_data}
            return services.update_device(request.user, obj, **fields)
        return services.create_device(request.user, **fields)

    def save_related(self, request, form, formsets, change):
        """Qualified users and called-off maintenance windows go through the services too."""
        if self._refused(request):
            return
        if "qualified_users" in form.changed_data:
            services.update_device(request.user, form.instance,
                                   qualified_users=list(form.cleaned_data["qualified_users"]))
        for formset in formsets:
            # The inline is read-only but for "delete"; the admin's change message reads these lists.
            formset.new_objects, formset.changed_objects = [], []
            formset.deleted_objects = [f.instance for f in formset.deleted_forms if f.instance.pk]
            for window in formset.deleted_objects:
                services.cancel_maintenance(request.user, form.instance, window.pk)

    def delete_through_service(self, request, obj):
        services.delete_device(request.user, obj)


def _decide(modeladmin, request, queryset, decision: str):
    results = services.bulk_decide(request.user, list(queryset.values_list("pk", flat=True)), decision)
    done = [r for r in results if r["ok"]]
    if done:
        modeladmin.message_user(request, f"{len(done)} booking(s) {decision}d.", messages.SUCCESS)
    for refused in (r for r in results if not r["ok"]):
        modeladmin.message_user(request, f"#{refused['id']}: {refused['detail']}", messages.ERROR)


@admin.action(description="Approve selected bookings", permissions=["change"])
def approve_selected(modeladmin, request, queryset):
    """Admin action: the approve service for each selected booking."""
    try:
        _decide(modeladmin, request, queryset, "approve")
    except DomainError as exc:
        modeladmin.message_user(request, exc.detail, messages.ERROR)


@admin.action(description="Reject selected bookings", permissions=["change"])
def reject_selected(modeladmin, request, queryset):
    """Admin action: the reject service for each selected booking."""
    try:
        _decide(modeladmin, request, queryset, "reject")
    except DomainError as exc:
        modeladmin.message_user(request, exc.detail, messages.ERROR)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Bookings are read here and decided with the actions; requests are made through the API and pages."""

    list_display = ["id", "device", "user", "start", "end", "status", "decided_by", "group_id"]
    list_filter = ["status", "device", "start"]
    search_fields = ["device__name", "user__username", "user__email", "comment", "reason"]
    date_hierarchy = "start"
    list_select_related = ["device", "user", "decided_by"]
    actions = [approve_selected, reject_selected]
    readonly_fields = [f.name for f in Booking._meta.fields] + ["collaborators"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A booking is cancelled or rejected, never deleted: the history is what a lab trusts.
        return False


@admin.register(BookingSeries)
class BookingSeriesAdmin(admin.ModelAdmin):
    list_display = ["id", "device", "user", "rrule", "first_start", "duration"]
    list_filter = ["device"]
    search_fields = ["rrule", "user__username", "device__name"]
    readonly_fields = [f.name for f in BookingSeries._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a series is history; its bookings are cancelled one by one
from . import power_admin, topology_admin  # noqa: E402, F401, I001  (PDU, outlet and port link screens)
