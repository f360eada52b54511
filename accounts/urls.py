"""Session pages of accounts: logins for the staff pages and the browsable API, and the reset page.

Both logins use ``LoginForm``, which goes through ``services.login`` and its failed-login
throttle; the browsable API's pair replaces ``rest_framework.urls`` (Django's stock form).
"""
from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import LoginForm
from .views import PasswordResetPage

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("reset/<str:uid>/<str:token>/", PasswordResetPage.as_view(), name="password-reset-page"),
]

# Included at /api-auth/ under the "rest_framework" namespace the browsable API reverses.
browsable_api_urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="rest_framework/login.html",
                                                authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
