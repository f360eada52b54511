"""Admin: room devices saved through their service; announced devices and voice commands to read."""
from django.contrib import admin, messages

from core.admin_tools import ReadOnlyAdmin, ServiceAdmin
from core.errors import DomainError

from .models import DiscoveredDevice, RoomDevice, VoiceCommand
from .services.discovery import adopt_device, ignore_device
from .services.rooms import DEVICE_FIELDS, save_room_device


@admin.register(RoomDevice)
class RoomDeviceAdmin(ServiceAdmin):
    list_display = ["name", "kind", "room", "topic", "power", "online", "last_seen_at"]
    list_filter = ["kind", "online"]
    search_fields = ["name", "topic", "room__name"]
    fields = ["name", "kind", "room", "topic", "dimmable", "limits"]

    def save_through_service(self, request, obj, form, change):
        return save_room_device(request.user, obj if change else None, **self.form_fields(form, change, DEVICE_FIELDS))


def _each(modeladmin, request, queryset, service, done):
    for device in queryset:
        try:
            service(request.user, device)
            modeladmin.message_user(request, f"{device.name}: {done}.")
        except DomainError as exc:
            modeladmin.message_user(request, f"{device.name}: {exc.detail}", messages.ERROR)


@admin.action(description="Adopt selected devices as machines")
def adopt_selected(modeladmin, request, queryset):
    """Admin action: the adopt service for each device."""
    _each(modeladmin, request, queryset, adopt_device, "adopted")


@admin.action(description="Ignore selected devices")
def ignore_selected(modeladmin, request, queryset):
    """Admin action: the ignore service for each device."""
    _each(modeladmin, request, queryset, ignore_device, "ignored")


@admin.register(DiscoveredDevice)
class DiscoveredDeviceAdmin(ReadOnlyAdmin):
    list_display = ["name", "source", "topic_prefix", "status", "online", "last_seen_at"]
    list_filter = ["source", "status"]
    actions = [adopt_selected, ignore_selected]


@admin.register(VoiceCommand)
class VoiceCommandAdmin(ReadOnlyAdmin):
    list_display = ["heard", "intent", "status", "user", "created_at"]
    list_filter = ["intent", "status"]
