"""Operator screens for PDUs and outlets; saving, switching and reading states go through the power services."""
from django import forms
from django.contrib import admin, messages

from core.admin_tools import ReadOnlyInline, ServiceAdmin
from core.errors import DomainError

from . import services
from .models import PDU, Outlet

PDU_FIELDS = ["name", "driver", "address", "username", "password", "privacy_password", "options"]


class PDUForm(forms.ModelForm):
    """The sealed passwords are never shown; typing one replaces it, leaving it empty keeps it."""

    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                               help_text="Leave empty to keep the stored password.")
    privacy_password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                                       help_text="SNMP v3 only: the privacy (encryption) passphrase. "
                                                 "Leave empty to keep the stored one.")

    class Meta:
        model = PDU
        fields = ["name", "driver", "address", "username", "options"]


class OutletInline(ReadOnlyInline):
    model = Outlet
    fields = ["number", "name", "mode", "state", "state_checked_at"]
    readonly_fields = fields


def _each(modeladmin, request, items, call, done: str):
    for item in items:
        try:
            call(item)
            modeladmin.message_user(request, f"{item}: {done}.", messages.SUCCESS)
        except DomainError as exc:
            modeladmin.message_user(request, f"{item}: {exc.detail}", messages.ERROR)


@admin.register(PDU)
class PDUAdmin(ServiceAdmin):
    form = PDUForm
    list_display = ["name", "driver", "address", "username"]
    list_filter = ["driver"]
    search_fields = ["name", "address"]
    inlines = [OutletInline]
    actions = ["read_states"]

    def save_through_service(self, request, obj, form, change):
        """Create or change through the power services, sealing a new password."""
        fields = self.form_fields(form, change, PDU_FIELDS)
        for secret in ("password", "privacy_password"):
            if not fields.get(secret):
                fields.pop(secret, None)
        if change:
            return services.update_pdu(request.user, obj, **fields)
        return services.create_pdu(request.user, **fields)

    def delete_through_service(self, request, obj):
        services.delete_pdu(request.user, obj)

    @admin.action(description="Read outlet states from the PDU")
    def read_states(self, request, queryset):
        _each(self, request, queryset, lambda pdu: services.read_pdu_status(request.user, pdu), "states read")


@admin.register(Outlet)
class OutletAdmin(ServiceAdmin):
    list_display = ["pdu", "number", "name", "mode", "state", "state_checked_at"]
    list_filter = ["mode", "state", "pdu"]
    list_select_related = ["pdu"]
    search_fields = ["name", "pdu__name"]
    fields = ["pdu", "number", "name", "mode", "devices", "state", "state_checked_at"]
    readonly_fields = ["state", "state_checked_at"]
    filter_horizontal = ["devices"]
    actions = ["switch_on", "switch_off", "power_cycle"]

    def save_through_service(self, request, obj, form, change):
        """Add or change the outlet through ``set_outlet`` (devices included)."""
        data = form.cleaned_data
        return services.set_outlet(request.user, data["pdu"], number=data["number"], name=data["name"],
                                   mode=data["mode"], device_ids=[d.pk for d in data["devices"]])

    def save_related(self, request, form, formsets, change):
        # The devices were set by the service.
        pass

    def _switch(self, request, queryset, verb):
        _each(self, request, queryset.select_related("pdu"),
              lambda o: services.switch_outlet(request.user, o.pdu, o.number, verb), f"switched {verb}")

    @admin.action(description="Switch on")
    def switch_on(self, request, queryset):
        self._switch(request, queryset, "on")

    @admin.action(description="Switch off")
    def switch_off(self, request, queryset):
        self._switch(request, queryset, "off")

    @admin.action(description="Power cycle")
    def power_cycle(self, request, queryset):
        self._switch(request, queryset, "cycle")
