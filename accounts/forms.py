"""Login forms for the staff pages and the admin; both go through ``services.login``,
so the failed-login throttle holds on every door, not only the API."""
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from core.context import client_ip
from core.errors import DomainError

from . import services


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


class LoginForm(_ServiceLoginMixin, AuthenticationForm):
    """The staff-page login."""


class AdminLoginForm(_ServiceLoginMixin, AdminAuthenticationForm):
    """The admin login (staff only, as Django's own)."""
