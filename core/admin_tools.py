"""Admin pieces the apps share: form saves that go through a service."""
from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseRedirect

from .errors import DomainError


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are history (audit trail, ledgers): listed and opened, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown beside their parent for reading; they change through their own services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose add and change forms save through a service.

    Subclasses implement ``save_through_service(request, obj, form, change)`` and return the
    saved instance. When the service refuses, its message is shown, nothing else is saved
    (no inlines, no log entry) and the operator stays on the form instead of reading
    "was changed successfully". Deleting is offered only where a subclass names the service
    that deletes (``delete_through_service``), single or in bulk.
    """

    delete_through_service = None  # set to a method (request, obj) where deleting is allowed

    def has_delete_permission(self, request, obj=None):
        return self.delete_through_service is not None and super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        self.delete_through_service(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            try:
                self.delete_through_service(request, obj)
            except DomainError as exc:
                self.message_user(request, f"{obj}: {exc.detail}", messages.ERROR)

    def save_through_service(self, request, obj, form, change):
        raise ImproperlyConfigured(f"{type(self).__name__} must say which service saves its form.")

    @staticmethod
    def form_fields(form, change, allowed) -> dict:
        """What the form submitted for the service: changed fields on edit, all on add."""
        names = form.changed_data if change else form.cleaned_data
        return {name: form.cleaned_data[name] for name in names if name in allowed}

    def save_model(self, request, obj, form, change):
        try:
            saved = self.save_through_service(request, obj, form, change)
        except DomainError as exc:
            request.service_refusal = exc
            self.message_user(request, exc.detail, messages.ERROR)
            return
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def _refused(self, request) -> bool:
        return getattr(request, "service_refusal", None) is not None

    def save_related(self, request, form, formsets, change):
        if not self._refused(request):
            super().save_related(request, form, formsets, change)

    def log_addition(self, request, obj, message):
        if not self._refused(request):
            return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if not self._refused(request):
            return super().log_change(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if self._refused(request):
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if self._refused(request):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)
