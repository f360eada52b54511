"""What every app's staff pages share: the role a page needs."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.roles import VIEWER, has_role


def role_required(role: str = VIEWER):
    """A page decorator: logged in (else the login page), then at least ``role`` (else 403)."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, role):
                raise PermissionDenied(f"This page needs the {role} role or above.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


viewer_required = role_required(VIEWER)
