"""Operator screens for users and API keys; role changes and revocation go through the services."""
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.errors import DomainError

from . import roles, services
from .models import ApiKey, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "display_name", "role_name", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]
    search_fields = ["username", "email", "display_name"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Benchtop", {"fields": ["display_name", "time_zone", "discord_id", "notification_preferences"]}),
    )
    actions = ["make_viewer", "make_member", "make_operator", "make_admin"]
    # Roles change only through the actions above (the service keeps is_staff in step and audits).
    readonly_fields = ["groups", "user_permissions", "is_staff", "is_superuser", "last_login", "date_joined"]

    def get_queryset(self, request):
        # The role column reads each user's groups: one prefetch instead of a query per row.
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="role")
    def role_name(self, obj):
        return roles.role_of(obj) or "-"

    def _set_role(self, request, queryset, role):
        done = 0
        for user in queryset:
            try:
                services.set_role(request.user, user, role)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{user}: {exc.detail}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} user(s) are now {role}s.", messages.SUCCESS)

    @admin.action(description="Set role: viewer")
    def make_viewer(self, request, queryset):
        self._set_role(request, queryset, roles.VIEWER)

    @admin.action(description="Set role: member")
    def make_member(self, request, queryset):
        self._set_role(request, queryset, roles.MEMBER)

    @admin.action(description="Set role: operator")
    def make_operator(self, request, queryset):
        self._set_role(request, queryset, roles.OPERATOR)

    @admin.action(description="Set role: admin")
    def make_admin(self, request, queryset):
        self._set_role(request, queryset, roles.ADMIN)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "role", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["role", "revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    # Role, owner and expiry are fixed when the key is issued; a different key is a new key.
    readonly_fields = ["name", "user", "role", "expires_at", "prefix", "key_hash", "created_by", "last_used_at",
                       "revoked_at", "created_at", "updated_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        # The secret must be shown once to the person who asked for it: issue keys through the API.
        return False

    @admin.action(description="Revoke selected keys")
    def revoke(self, request, queryset):
        for key in queryset:
            try:
                services.revoke_api_key(request.user, key)
            except DomainError as exc:
                self.message_user(request, f"{key}: {exc.detail}", messages.ERROR)
        self.message_user(request, "Selected keys are revoked.", messages.SUCCESS)
