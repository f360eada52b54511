"""Operator screens for users and API keys; every save, role change, password and revocation goes
through the account services, so the rules and the audit trail are the API's."""
import copy

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.admin_tools import ServiceAdmin
from core.errors import DomainError

from . import roles, services
from .forms import AdminSetPasswordForm, UserAddForm, UserChangeForm
from .models import ApiKey, User


@admin.register(User)
class UserAdmin(ServiceAdmin, BaseUserAdmin):
    """Users: added with a role through ``create_user``, edited through ``update_user``."""

    form = UserChangeForm
    add_form = UserAddForm
    list_display = ["username", "email", "display_name", "role_name", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]
    search_fields = ["username", "email", "display_name"]
    add_fieldsets = (
        (None, {"classes": ["wide"], "fields": ["username", "email", "display_name", "role", "password1",
                                                "password2"]}),
    )
    fieldsets = (
        (None, {"fields": ["username", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        ("Access", {"fields": ["is_active", "role_name", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
        ("Benchtop", {"fields": ["display_name", "time_zone", "discord_id", "notification_preferences"]}),
    )
    actions = ["make_viewer", "make_member", "make_operator", "make_admin"]
    # Roles change only through the actions above (the service keeps is_staff in step and audits).
    readonly_fields = ["role_name", "groups", "user_permissions", "is_staff", "is_superuser", "last_login",
                       "date_joined"]

    def get_queryset(self, request):
        # The role column reads each user's groups: one prefetch instead of a query per row.
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="role")
    def role_name(self, obj):
        return roles.role_of(obj) or "-"

    def save_through_service(self, request, obj, form, change):
        """Edits go through ``update_user`` (changed fields only); new users through ``create_user``."""
        if change:
            return services.update_user(request.user, obj, **self.form_fields(form, change, services.ADMIN_FIELDS))
        data = form.cleaned_data
        return services.create_user(request.user, username=data["username"], email=data["email"],
                                    password=data["password1"], display_name=data.get("display_name", ""),
                                    role=data["role"])

    def delete_through_service(self, request, obj):
        services.delete_user(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # Nobody deletes their own account (the service refuses; do not offer it).
        if obj is not None and obj.pk == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        """Django's password page, with a form that saves through ``services.set_password`` as this admin."""
        per_request = copy.copy(self)
        per_request.change_password_form = type("AdminSetPasswordForm", (AdminSetPasswordForm,),
                                                {"actor": request.user})
        return BaseUserAdmin.user_change_password(per_request, request, id, form_url)

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
