"""Forms of the account pages and the admin; each checks and saves through ``accounts.services``.

The login forms go through ``services.login``, so the failed-login throttle holds on every
door (staff pages, admin, browsable API), not only the JWT endpoint. The admin's user forms
ask the services which fields break a rule, so every broken rule shows beside its field.
"""
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation

from core.context import client_ip
from core.errors import DomainError

from . import roles, services
from .models import User


def add_service_errors(form, exc: DomainError, field_names: dict | None = None) -> None:
    """Show a service's refusal on ``form``: each field's messages beside the field, the rest on top."""
    field_names = field_names or {}
    shown = False
    for name, messages in exc.fields.items():
        target = field_names.get(name, name)
        for message in messages if isinstance(messages, list) else [messages]:
            form.add_error(target if target in form.fields else None, str(message))
            shown = True
    if not shown:
        form.add_error(None, exc.detail)


class _ServiceLoginMixin:
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            ip = client_ip(self.request.META) if self.request else None
            try:
                self.user_cache = services.login(username, password, ip)
            except DomainError as exc:
                raise forms.ValidationError(exc.detail, code=exc.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class LoginForm(_ServiceLoginMixin, auth_forms.AuthenticationForm):
    """The staff-page and browsable-API login."""


class AdminLoginForm(_ServiceLoginMixin, AdminAuthenticationForm):
    """The admin login (staff only, as Django's own)."""


def _password_fields():
    first = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=password_validation.password_validators_help_text_html())
    again = forms.CharField(label="Password (again)", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text="The same password, to catch typing mistakes.")
    return first, again


def _same_passwords(form, first: str, again: str) -> str | None:
    password, repeated = form.cleaned_data.get(first), form.cleaned_data.get(again)
    if password and repeated and password != repeated:
        form.add_error(again, "The two passwords differ.")
        return None
    return password


class SetPasswordForm(forms.Form):
    """A new password, twice (the reset page); the rules are checked by the service that sets it."""

    new_password1, new_password2 = _password_fields()

    def clean(self):
        _same_passwords(self, "new_password1", "new_password2")
        return self.cleaned_data


class UserAddForm(forms.ModelForm):
    """The admin's new-user form: username, email, role and a password checked by the account rules."""

    role = forms.ChoiceField(choices=[(role, role) for role in roles.ROLES], initial=roles.MEMBER)
    password1, password2 = _password_fields()

    class Meta:
        model = User
        fields = ["username", "email", "display_name"]
        field_classes = {"username": auth_forms.UsernameField}

    def clean(self):
        cleaned = super().clean()
        password = _same_passwords(self, "password1", "password2")
        if password and cleaned.get("username") and cleaned.get("email"):
            try:
                services.check_new_user(username=cleaned["username"], email=cleaned["email"], password=password,
                                        display_name=cleaned.get("display_name", ""))
            except DomainError as exc:
                add_service_errors(self, exc, {"password": "password1"})
        return cleaned

    def validate_unique(self):
        # services.check_new_user checks username and email across case (a superset of the
        # model's exact-match check, which would only repeat the message).
        pass


class UserChangeForm(auth_forms.UserChangeForm):
    """The admin's edit form; changed fields are checked by the same rules ``services.update_user`` applies."""

    def clean(self):
        cleaned = super().clean()
        changes = {name: cleaned[name] for name in self.changed_data
                   if name in services.ADMIN_FIELDS and name in cleaned}
        if changes:
            try:
                # self.instance still holds the saved values: the form copies its own in after clean().
                services.check_user_changes(self.instance, **changes)
            except DomainError as exc:
                add_service_errors(self, exc)
        return cleaned

    def validate_unique(self):
        # Checked across case by services.check_user_changes above.
        pass


class AdminSetPasswordForm(auth_forms.AdminPasswordChangeForm):
    """The admin's password page, saving through ``services.set_password`` (same rules, audited).

    ``actor`` is set per request by ``UserAdmin.user_change_password``.
    """

    actor = None

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        # Turning password login off is not a Benchtop action; a password is always given.
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = self.fields["password2"].required = True

    def clean(self):
        self.validate_passwords()
        password = self.cleaned_data.get("password1")
        if password and not self.has_error("password2"):
            errors = services.password_errors(password, self.user)
            for message in errors:
                self.add_error("password1", message)
        return self.cleaned_data

    def save(self, commit=True):
        self.user = services.set_password(self.actor, self.user, self.cleaned_data["password1"])
        return self.user
