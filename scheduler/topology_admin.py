"""Operator screens for port links; recording, changing and removing a cable go through the topology services."""
from django import forms
from django.contrib import admin
from django.db.models import Prefetch

from core.admin_tools import ServiceAdmin

from .models import Device, DeviceLink, LinkEnd
from .services import topology


class LinkForm(forms.ModelForm):
    """A new link names both ends (device and port); an existing one changes only its type and note."""

    a_device = forms.ModelChoiceField(queryset=Device.objects.order_by("name"), required=False, label="Device A")
    a_port = forms.CharField(max_length=60, required=False, label="Port A",
                             help_text="One of the port names of the device's type.")
    b_device = forms.ModelChoiceField(queryset=Device.objects.order_by("name"), required=False, label="Device B")
    b_port = forms.CharField(max_length=60, required=False, label="Port B")

    class Meta:
        model = DeviceLink
        fields = ["link_type", "note"]

    def clean(self):
        data = super().clean()
        if not self.instance.pk:
            # Only what was typed is checked here; the ports themselves are the service's to judge.
            for name in ("a_device", "a_port", "b_device", "b_port"):
                if not data.get(name):
                    self.add_error(name, "A new link needs both ends.")
        return data


@admin.register(DeviceLink)
class DeviceLinkAdmin(ServiceAdmin):
    form = LinkForm
    list_display = ["__str__", "link_type", "note", "created_at"]
    list_filter = ["link_type"]
    search_fields = ["note", "ends__device__name", "ends__port"]
    readonly_fields = ["ends_shown"]

    def get_queryset(self, request):
        # The list shows both ends of every link: one query for the page, not one per row.
        return super().get_queryset(request).prefetch_related(
            Prefetch("ends", queryset=LinkEnd.objects.order_by("id")))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["a_device", "a_port", "b_device", "b_port", "link_type", "note"]
        return ["ends_shown", "link_type", "note"]

    @admin.display(description="Ends")
    def ends_shown(self, link):
        return " – ".join(f"{end.device} port {end.port}" for end in link.ends.select_related("device"))

    def save_through_service(self, request, obj, form, change):
        """Record a new cable with ``create_link``, or change type and note with ``update_link``."""
        data = form.cleaned_data
        if change:
            return topology.update_link(request.user, obj, **self.form_fields(form, change, ["link_type", "note"]))
        return topology.create_link(request.user, data["a_device"], data["a_port"], data["b_device"], data["b_port"],
                                    link_type=data["link_type"], note=data["note"])

    def delete_through_service(self, request, obj):
        topology.delete_link(request.user, obj)
