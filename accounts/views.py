"""Account pages: setting a new password from the emailed reset link."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core.errors import DomainError

from . import services
from .forms import SetPasswordForm, add_service_errors


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class PasswordResetPage(View):
    """``/accounts/reset/<uid>/<token>/``: a new password, twice, set by ``services.confirm_password_reset``.

    Every broken password rule is shown beside the field; an unknown, used or expired link
    gets a 400 page saying to ask for a new one; success goes to the login page.
    """

    template_name = "accounts/password_reset_confirm.html"

    def _invalid(self, request, exc):
        return render(request, self.template_name, {"invalid": exc.detail}, status=400)

    def get(self, request, uid, token):
        try:
            user = services.check_password_reset_link(uid, token)
        except services.InvalidResetLink as exc:
            return self._invalid(request, exc)
        return render(request, self.template_name, {"form": SetPasswordForm(), "account": user})

    def post(self, request, uid, token):
        form = SetPasswordForm(request.POST)
        if form.is_valid():
            try:
                services.confirm_password_reset(uid, token, form.cleaned_data["new_password1"])
            except services.InvalidResetLink as exc:
                return self._invalid(request, exc)
            except DomainError as exc:
                add_service_errors(form, exc, {"password": "new_password1"})
            else:
                messages.success(request, "Your password is set. Log in with the new one.")
                return redirect("login")
        try:
            user = services.check_password_reset_link(uid, token)
        except services.InvalidResetLink as exc:
            return self._invalid(request, exc)
        return render(request, self.template_name, {"form": form, "account": user})
