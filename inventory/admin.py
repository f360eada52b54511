"""Operator screens; state changes made here go through the services."""
from django import forms
from django.contrib import admin, messages
from django.shortcuts import render

from core.admin_tools import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin
from core.errors import DomainError

from . import services
from .models import (
    Asset,
    AssetAttachment,
    Checkout,
    DeviceType,
    Location,
    MaintenanceRecord,
    Manufacturer,
    Material,
    StockItem,
    StockMovement,
    Tag,
)
from .services.assets import HISTORY_FIELDS
from .services.stock import MATERIAL_FIELDS


class CatalogAdmin(ServiceAdmin):
    """Manufacturers, tags and device types: saved and deleted through the catalogue services."""

    def save_through_service(self, request, obj, form, change):
        data = self.form_fields(form, change, form.cleaned_data)
        if change:
            return services.update_catalog_item(request.user, obj, **data)
        return services.create_catalog_item(request.user, self.model, **data)

    def delete_through_service(self, request, obj):
        services.delete_catalog_item(request.user, obj)


@admin.register(Manufacturer)
class ManufacturerAdmin(CatalogAdmin):
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(CatalogAdmin):
    list_display = ["name", "color"]
    search_fields = ["name"]


@admin.register(DeviceType)
class DeviceTypeAdmin(CatalogAdmin):
    list_display = ["name", "category", "manufacturer", "schedulable", "rack_units"]
    list_select_related = ["manufacturer"]
    list_filter = ["category", "schedulable"]
    search_fields = ["name", "model_number"]


@admin.register(Location)
class LocationAdmin(ServiceAdmin):
    """Locations; saving goes through the service so paths stay right and cycles are refused."""

    list_display = ["full_name", "kind", "rack_units"]
    list_filter = ["kind"]
    search_fields = ["name", "full_name"]
    readonly_fields = ["full_name", "tree_path", "depth"]

    def save_through_service(self, request, obj, form, change):
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data if name in services.locations.FIELDS}
            return services.update_location(request.user, obj, **data)
        return services.create_location(request.user, **{k: form.cleaned_data.get(k) for k in
                                                         ("name", "kind", "parent", "rack_units", "description")})


class AttachmentInline(ReadOnlyInline):
    """Attachments are uploaded through the API, which checks size and type."""

    model = AssetAttachment
    fields = ["original_name", "size", "content_type", "uploaded_by"]
    readonly_fields = fields


class MaintenanceInline(ReadOnlyInline):
    model = MaintenanceRecord
    fields = ["performed_on", "summary", "cost", "done_by", "next_due"]
    readonly_fields = fields


@admin.action(description="Check in the selected assets")
def check_in(modeladmin, request, queryset):
    """Check each selected asset back in through the service; reports what could not be."""
    done = 0
    for asset in queryset:
        try:
            services.check_in_asset(request.user, asset)
            done += 1
        except DomainError as exc:
            modeladmin.message_user(request, exc.detail, messages.WARNING)
    modeladmin.message_user(request, f"Checked in {done} asset(s).", messages.SUCCESS)


@admin.register(Asset)
class AssetAdmin(ServiceAdmin):
    """Assets; edits go through ``update_asset`` so the field history is complete."""

    list_display = ["inventory_id", "name", "device_type", "status", "location", "rack_position", "management_ip"]
    list_filter = ["status", "device_type__category", "device_type"]
    search_fields = ["inventory_id", "name", "serial_number", "management_ip"]
    list_select_related = ["device_type", "location"]
    autocomplete_fields = ["location", "device_type", "manufacturer"]
    readonly_fields = ["inventory_id", "next_maintenance_due"]
    inlines = [MaintenanceInline, AttachmentInline]
    actions = [check_in]

    def save_through_service(self, request, obj, form, change):
        data = self.form_fields(form, change, HISTORY_FIELDS)
        if change:
            return services.update_asset(request.user, obj, **data)
        return services.create_asset(request.user, **data)

    def save_related(self, request, form, formsets, change):
        # The service already set the tags (and wrote them into the history); letting the
        # form save its many-to-many fields again would be a second, unrecorded write.
        if not self._refused(request):
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)


@admin.register(MaintenanceRecord)
class MaintenanceRecordAdmin(ReadOnlyAdmin):
    """Maintenance is recorded through the API (it moves the asset's next due date)."""

    list_display = ["asset", "performed_on", "summary", "cost", "next_due"]
    list_select_related = ["asset"]
    search_fields = ["asset__inventory_id", "summary"]


@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdmin):
    """Check-outs end with the check-in action on assets, never by deleting them."""

    list_display = ["asset", "holder_label", "checked_out_at", "expected_return", "checked_in_at"]
    list_select_related = ["asset", "to_user"]
    list_filter = [("checked_in_at", admin.EmptyFieldListFilter)]


class StocktakeForm(forms.Form):
    counted = forms.DecimalField(min_value=0, decimal_places=3, max_digits=14)
    reason = forms.CharField(required=False, max_length=255)


@admin.action(description="Record a stocktake for the selected stock rows")
def record_stocktake(modeladmin, request, queryset):
    """Ask for the counted quantity and record it per row through ``services.stocktake``."""
    if "apply" in request.POST:
        form = StocktakeForm(request.POST)
        if form.is_valid():
            done = 0
            for item in queryset.select_related("material", "location"):
                try:
                    services.stocktake(request.user, item.material, form.cleaned_data["counted"],
                                       location=item.location, lot=item.lot, reason=form.cleaned_data["reason"])
                    done += 1
                except DomainError as exc:
                    modeladmin.message_user(request, f"{item}: {exc.detail}", messages.ERROR)
            modeladmin.message_user(request, f"Recorded the count for {done} stock row(s).", messages.SUCCESS)
            return None
    else:
        form = StocktakeForm()
    return render(request, "inventory/admin_stocktake.html", {
        "form": form, "items": queryset, "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "title": "Stocktake"})


@admin.register(Material)
class MaterialAdmin(ServiceAdmin):
    list_display = ["sku", "name", "category", "unit", "cost_per_unit", "reorder_level", "low_stock_since"]
    list_filter = ["category"]
    search_fields = ["sku", "name", "supplier"]

    def save_through_service(self, request, obj, form, change):
        data = self.form_fields(form, change, MATERIAL_FIELDS)
        if change:
            return services.update_material(request.user, obj, **data)
        return services.create_material(request.user, **data)


@admin.register(StockItem)
class StockItemAdmin(admin.ModelAdmin):
    """Stock rows are read-only here: quantities change only through the ledger (stocktake action)."""

    list_display = ["material", "location", "lot", "quantity", "allocated", "expires_on"]
    list_select_related = ["material", "location"]
    search_fields = ["material__name", "material__sku", "location__full_name", "lot"]
    actions = [record_stocktake]
    readonly_fields = ["material", "location", "lot", "quantity", "allocated", "expires_on"]

    def has_add_permission(self, request):
        return False


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    """The ledger: never edited or deleted."""

    list_display = ["at", "material", "kind", "quantity", "on_hand_after", "actor", "holder", "reason",
                    "reference_type", "reference_id"]
    list_filter = ["kind"]
    list_select_related = ["material", "actor", "holder"]
    search_fields = ["material__name", "reason", "reference_id"]
