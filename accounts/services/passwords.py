"""Password rules, changes and resets by emailed link."""
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from core import audit
from core.errors import RuleViolation

from .. import roles
from ..models import User


class InvalidResetLink(RuleViolation):
    """The emailed reset link is unknown, used or expired: 400, and a new link is needed."""

    code = "invalid_reset_link"

    def __init__(self):
        super().__init__("That reset link is invalid, already used or expired: ask for a new one.",
                         fields={"token": ["Invalid or expired."]})


def password_errors(password: str, user=None) -> list[str]:
    """Every rule ``password`` breaks for ``user`` (an unsaved user is fine), as messages; empty if none."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def check_password_rules(password: str, user=None) -> None:
    """Raise RuleViolation listing every rule ``password`` breaks."""
    errors = password_errors(password, user)
    if errors:
        raise RuleViolation("The password breaks these rules: " + " ".join(errors), fields={"password": errors})


@transaction.atomic
def change_password(user: User, old_password: str, new_password: str) -> None:
    """Change one's own password after proving the old one."""
    if not user.check_password(old_password):
        raise RuleViolation("The current password is wrong.", fields={"old_password": ["Wrong password."]})
    check_password_rules(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(user, "user.change_password", user)


@transaction.atomic
def set_password(actor, user: User, new_password: str) -> User:
    """An admin sets another account's password (the admin's password page); same rules, audited."""
    roles.require_role(actor, roles.ADMIN, "set other users' passwords")
    user = User.objects.select_for_update().get(pk=user.pk)
    check_password_rules(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(actor, "user.set_password", user)
    return user


def reset_link(user: User) -> tuple[str, str, str]:
    """``(uid, token, page address)`` that set a new password for ``user``, until used or expired."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return uid, token, settings.SITE_URL.rstrip("/") + reverse("password-reset-page", args=[uid, token])


def request_password_reset(email: str) -> None:
    """Email a reset link if an account has that address; says nothing either way."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    uid, token, link = reset_link(user)
    send_mail(
        "Reset your Benchtop password",
        f"Someone asked to reset the password of {user.username}.\n\n"
        f"uid: {uid}\ntoken: {token}\n\nOr open {link}\n\nIf it was not you, ignore this email.",
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    with transaction.atomic():
        audit.record(None, "user.request_password_reset", user)


def check_password_reset_link(uid: str, token: str) -> User:
    """The account an emailed reset link is for; raises InvalidResetLink if it is unknown, used or expired."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        raise InvalidResetLink() from None
    if not user.is_active or not default_token_generator.check_token(user, token):
        raise InvalidResetLink()
    return user


@transaction.atomic
def confirm_password_reset(uid: str, token: str, new_password: str) -> User:
    """Set a new password with an emailed link (API and reset page); a link works once."""
    user = check_password_reset_link(uid, token)
    check_password_rules(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(user, "user.reset_password", user)
    return user
