"""Every change to users, roles, passwords and API keys."""
import hashlib
import secrets
import time

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from core import audit, events
from core.errors import DomainError, PermissionDenied, RuleViolation

from . import roles
from .models import ApiKey, User, hash_key

LOGIN_WINDOW_SECONDS = 60


class TooManyAttempts(DomainError):
    """Too many failed logins for this username or address: 429."""

    status_code = 429
    code = "throttled"

    def __init__(self, retry_after: int):
        super().__init__(f"Too many failed logins. Try again in {retry_after} seconds.", retry_after=retry_after)
        self.retry_after = retry_after


class BadCredentials(DomainError):
    """Wrong username or password: 401."""

    status_code = 401
    code = "bad_credentials"


def _password_errors(password: str, user=None) -> list[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def check_password_rules(password: str, user=None) -> None:
    """Raise RuleViolation listing every rule ``password`` breaks."""
    errors = _password_errors(password, user)
    if errors:
        raise RuleViolation("The password breaks these rules: " + " ".join(errors), fields={"password": errors})


@transaction.atomic
def register_user(*, username: str, email: str, password: str, display_name: str = "", actor=None,
                  role: str = roles.MEMBER) -> User:
    """Create a user with ``role``; open sign-up needs ``REGISTRATION_OPEN``, other roles need an admin."""
    if actor is None and not settings.REGISTRATION_OPEN:
        raise PermissionDenied("Registration is closed: ask an administrator for an account.")
    if actor is None and role != roles.MEMBER:
        raise PermissionDenied("Self-registration creates members only.")
    if actor is not None:
        roles.require_role(actor, roles.ADMIN, "create users")
    if role not in roles.ROLES:
        raise RuleViolation(f"Unknown role '{role}'; choose one of {', '.join(roles.ROLES)}.", fields={"role": [role]})
    if User.objects.filter(username__iexact=username).exists():
        raise RuleViolation("That username is taken.", fields={"username": ["That username is taken."]})
    if User.objects.filter(email__iexact=email).exists():
        taken = "An account with that email exists."
        raise RuleViolation(taken, fields={"email": [taken]})
    user = User(username=username, email=email.lower(), display_name=display_name)
    check_password_rules(password, user)
    user.set_password(password)
    user.save()
    _apply_role(user, role)
    audit.record(actor or user, "user.register", user, {"role": [None, role]})
    events.publish("system", "user.registered", {"id": user.pk, "username": user.username})
    return user


def _apply_role(user: User, role: str) -> None:
    from django.contrib.auth.models import Group

    user.groups.remove(*Group.objects.filter(name__in=roles.ROLES))
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.is_staff = role in (roles.ADMIN, roles.OPERATOR)
    user.save(update_fields=["is_staff"])
    user._role_names = {role}


@transaction.atomic
def set_role(actor, user: User, role: str) -> User:
    """Give ``user`` one role (admins only); operators and admins may use the admin site."""
    roles.require_role(actor, roles.ADMIN, "change roles")
    if role not in roles.ROLES:
        raise RuleViolation(f"Unknown role '{role}'; choose one of {', '.join(roles.ROLES)}.", fields={"role": [role]})
    old = roles.role_of(user)
    _apply_role(user, role)
    audit.record(actor, "user.set_role", user, {"role": [old, role]})
    return user


def _login_keys(username: str, ip: str | None) -> list[str]:
    # Hashed: usernames are user input, and cache keys must stay short and plain.
    keys = [f"login-fail:user:{hashlib.sha256(username.lower().encode()).hexdigest()[:32]}"]
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def _retry_after(key: str) -> int:
    started = cache.get(key + ":start") or time.time()
    return max(1, int(LOGIN_WINDOW_SECONDS - (time.time() - started)) + 1)


def login(username: str, password: str, ip: str | None) -> User:
    """Check credentials, throttled per username and per IP; returns the user or raises.

    After ``LOGIN_FAILURES_PER_MINUTE`` failures in a minute, further attempts are
    refused with TooManyAttempts until the minute is over, even with the right password.
    """
    limit = settings.LOGIN_FAILURES_PER_MINUTE
    keys = _login_keys(username, ip)
    for key in keys:
        if (cache.get(key) or 0) >= limit:
            raise TooManyAttempts(_retry_after(key))
    user = authenticate(username=username, password=password)
    if user is None and "@" in username:
        match = User.objects.filter(email__iexact=username).first()
        if match is not None:
            user = authenticate(username=match.username, password=password)
    if user is None:
        for key in keys:
            if cache.add(key, 0, LOGIN_WINDOW_SECONDS):
                cache.set(key + ":start", time.time(), LOGIN_WINDOW_SECONDS)
            try:
                cache.incr(key)
            except ValueError:  # the window expired between add and incr
                cache.set(key, 1, LOGIN_WINDOW_SECONDS)
        raise BadCredentials("Wrong username or password.") from None
    cache.delete(keys[0])
    return user


@transaction.atomic
def change_password(user: User, old_password: str, new_password: str) -> None:
    """Change one's own password after proving the old one."""
    if not user.check_password(old_password):
        raise RuleViolation("The current password is wrong.", fields={"old_password": ["Wrong password."]})
    check_password_rules(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(user, "user.change_password", user)


def request_password_reset(email: str) -> None:
    """Email a reset link if an account has that address; says nothing either way."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{settings.SITE_URL}/accounts/reset/{uid}/{token}/"
    send_mail(
        "Reset your Benchtop password",
        f"Someone asked to reset the password of {user.username}.\n\n"
        f"uid: {uid}\ntoken: {token}\n\nOr open {link}\n\nIf it was not you, ignore this email.",
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    with transaction.atomic():
        audit.record(None, "user.request_password_reset", user)


@transaction.atomic
def confirm_password_reset(uid: str, token: str, new_password: str) -> User:
    """Set a new password with an emailed token; a token works once."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        raise RuleViolation("That reset link is invalid or has expired.", fields={"token": ["Invalid or expired."]})
    check_password_rules(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(user, "user.reset_password", user)
    return user


@transaction.atomic
def update_profile(user: User, **changes) -> User:
    """Change one's own display name, time zone, Discord id or notification preferences."""
    allowed = {"display_name", "time_zone", "discord_id", "notification_preferences"}
    unknown = set(changes) - allowed
    if unknown:
        raise RuleViolation(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    before = audit.snapshot(user, changes)
    for name, value in changes.items():
        setattr(user, name, value)
    user.save(update_fields=list(changes) or None)
    audit.record(user, "user.update_profile", user, audit.diff(before, user))
    return user


@transaction.atomic
def create_api_key(actor, *, name: str, user: User, role: str, expires_at=None) -> tuple[ApiKey, str]:
    """Issue a key for ``user`` capped at ``role``; returns the key and its secret, shown only now.

    Admins issue keys for anyone; other users only for themselves and at most their own role.
    """
    if role not in roles.ROLES:
        raise RuleViolation(f"Unknown role '{role}'; choose one of {', '.join(roles.ROLES)}.", fields={"role": [role]})
    if not roles.has_role(actor, roles.ADMIN):
        if user.pk != actor.pk:
            raise PermissionDenied("Only an admin may issue keys for another user.")
        if roles.RANK[role] > roles.RANK.get(roles.role_of(actor) or "", 0):
            raise PermissionDenied("A key cannot have a higher role than its issuer.")
    if not name.strip():
        raise RuleViolation("Give the key a name.", fields={"name": ["This field may not be blank."]})
    prefix = secrets.token_hex(4)
    secret = f"bt_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name.strip(), user=user, role=role, prefix=prefix, key_hash=hash_key(secret),
        created_by=actor, expires_at=expires_at,
    )
    audit.record(actor, "api_key.create", key, {"role": [None, role], "user": [None, user.pk]})
    return key, secret


@transaction.atomic
def revoke_api_key(actor, key: ApiKey) -> ApiKey:
    """Revoke a key at once; its owner or an admin may."""
    if key.user_id != actor.pk and not roles.has_role(actor, roles.ADMIN):
        raise PermissionDenied("Only the key's owner or an admin may revoke it.")
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit.record(actor, "api_key.revoke", key, {"revoked_at": [None, key.revoked_at.isoformat()]})
        events.close_sockets_of_api_key(key.pk)
    return key
