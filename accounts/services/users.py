"""Accounts: sign-up, creation by an admin, profile and admin edits, roles, deletion.

Every door (the API, the admin's add and change forms, commands) creates and changes
accounts here, so the password rules, the case-insensitive uniqueness of usernames and
email addresses, and the audit trail hold whichever door was used.
"""
import copy
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from core import audit, events
from core.errors import Conflict, PermissionDenied, RuleViolation, check_fields

from .. import roles
from ..events import USER_REGISTERED
from ..models import User, is_discord_id
from .api_keys import require_interactive_login
from .passwords import password_errors

# What one may change on one's own account, and what an admin may change on anyone's.
PROFILE_FIELDS = {"email", "display_name", "time_zone", "discord_id", "notification_preferences"}
ADMIN_FIELDS = PROFILE_FIELDS | {"username", "first_name", "last_name", "is_active"}

EMAIL_TAKEN = "An account with that email address exists."
USERNAME_TAKEN = "That username is taken."


def normalise_email(email: str) -> str:
    """Email addresses are stored lower-case, so the unique index also holds across case."""
    return (email or "").strip().lower()


def _field_errors(user: User, changed, *, password: str | None = None) -> dict[str, list[str]]:
    """Rule breaks in ``changed`` fields of ``user`` (unsaved values), by field name."""
    errors: dict[str, list[str]] = {}
    others = User.objects.exclude(pk=user.pk) if user.pk else User.objects.all()
    if "username" in changed and user.username and others.filter(username__iexact=user.username).exists():
        errors["username"] = [USERNAME_TAKEN]
    if "email" in changed:
        if not user.email:
            errors["email"] = ["An email address is required."]
        elif others.filter(email__iexact=user.email).exists():
            errors["email"] = [EMAIL_TAKEN]
    if "time_zone" in changed and user.time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = [f"'{user.time_zone}' is not a time zone name such as Europe/Berlin."]
    if "discord_id" in changed and user.discord_id and not is_discord_id(user.discord_id):
        # It is pasted into Discord messages as a mention: only a number may go there.
        errors["discord_id"] = ["A Discord user id is a number, such as 80351110224678912 (Copy User ID)."]
    prefs = user.notification_preferences
    if "notification_preferences" in changed and not (
            isinstance(prefs, dict) and all(isinstance(value, bool) for value in prefs.values())):
        errors["notification_preferences"] = ['Give a map of channel to true or false, such as {"email": true}.']
    if password is not None:
        broken = password_errors(password, user)
        if broken:
            errors["password"] = broken
    return errors


def _refuse(errors: dict[str, list[str]]) -> None:
    if not errors:
        return
    parts = []
    for name, messages in errors.items():
        if name == "password":
            parts.append("The password breaks these rules: " + " ".join(messages))
        else:
            parts.extend(f"{name}: {message}" for message in messages)
    raise RuleViolation(" ".join(parts), fields=errors)


def check_new_user(*, username: str, email: str, password: str, display_name: str = "") -> None:
    """Raise RuleViolation naming every field of a new account that breaks a rule (forms call it to
    show all errors at once; ``create_user`` and ``register_user`` check the same again)."""
    user = User(username=username, email=normalise_email(email), display_name=display_name)
    _refuse(_field_errors(user, {"username", "email"}, password=password))


def check_user_changes(user: User, **changes) -> None:
    """Raise RuleViolation naming every field of ``changes`` to ``user`` that breaks a rule; changes nothing."""
    candidate = copy.copy(user)
    changes = _normalised(changes)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _refuse(_field_errors(candidate, changes))


def _normalised(changes: dict) -> dict:
    if "email" in changes:
        changes = changes | {"email": normalise_email(changes["email"])}
    if "username" in changes:
        changes = changes | {"username": (changes["username"] or "").strip()}
    return changes


def _new_user(actor, *, username: str, email: str, password: str, display_name: str, role: str,
              action: str | None = None) -> User:
    if role not in roles.ROLES:
        raise RuleViolation(f"Unknown role '{role}'; choose one of {', '.join(roles.ROLES)}.", fields={"role": [role]})
    user = User(username=username.strip(), email=normalise_email(email), display_name=display_name)
    _refuse(_field_errors(user, {"username", "email"}, password=password))
    user.set_password(password)
    check_fields(user)
    user.save()
    _apply_role(user, role)
    action = action or ("user.register" if actor is None else "user.create")
    # Someone signing up acts on their own behalf; an account the system makes has no actor.
    by = None if action == "user.bootstrap" else actor or user
    audit.record(by, action, user, {
        "username": [None, user.username], "email": [None, user.email], "role": [None, role],
    })
    events.publish("system", USER_REGISTERED, {"id": user.pk, "username": user.username})
    return user


@transaction.atomic
def create_user(actor, *, username: str, email: str, password: str, display_name: str = "",
                role: str = roles.MEMBER) -> User:
    """An admin creates an account with ``role`` (the admin's add form uses this)."""
    roles.require_role(actor, roles.ADMIN, "create users")
    return _new_user(actor, username=username, email=email, password=password, display_name=display_name,
                     role=role)


@transaction.atomic
def bootstrap_user(*, username: str, email: str, password: str, display_name: str = "", role: str,
                   superuser: bool = False) -> User:
    """An account the system makes with nobody logged in (the demo users, a first admin); commands only.

    The same rules as any new account (username, email, password); recorded with the system as actor.
    """
    user = _new_user(None, username=username, email=email, password=password, display_name=display_name,
                     role=role, action="user.bootstrap")
    if superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return user


@transaction.atomic
def register_user(*, username: str, email: str, password: str, display_name: str = "", actor=None,
                  role: str = roles.MEMBER) -> User:
    """Sign up as a member (needs ``REGISTRATION_OPEN``); with an ``actor``, as ``create_user``."""
    if actor is not None:
        return create_user(actor, username=username, email=email, password=password, display_name=display_name,
                           role=role)
    if not settings.REGISTRATION_OPEN:
        raise PermissionDenied("Registration is closed: ask an administrator for an account.")
    if role != roles.MEMBER:
        raise PermissionDenied("Self-registration creates members only.")
    return _new_user(None, username=username, email=email, password=password, display_name=display_name,
                     role=role)


def _change(actor, user: User, changes: dict, action: str) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    changes = _normalised(changes)
    before = audit.snapshot(user, changes)
    for name, value in changes.items():
        setattr(user, name, value)
    _refuse(_field_errors(user, changes))
    check_fields(user)
    changed = audit.diff(before, user)
    if changed:
        user.save(update_fields=list(changed))
        audit.record(actor, action, user, changed)
    return user


@transaction.atomic
def update_profile(user: User, **changes) -> User:
    """Change one's own email address, display name, time zone, Discord id or notification preferences.

    The email address stays unique across case; changing it needs a password login, not an API key
    (the address is where password resets go).
    """
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise RuleViolation(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    if "email" in changes and normalise_email(changes["email"]) != user.email:
        require_interactive_login(user, "change the account's email address")
    return _change(user, user, changes, "user.update_profile")


@transaction.atomic
def update_user(actor, user: User, **changes) -> User:
    """An admin changes an account (the admin's change form): names, email, profile, active flag.

    Usernames and email addresses stay unique across case; every changed field is audited
    with its old and new value. Nobody deactivates their own account.
    """
    roles.require_role(actor, roles.ADMIN, "change other users' accounts")
    unknown = set(changes) - ADMIN_FIELDS
    if unknown:
        raise RuleViolation(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    if user.pk == actor.pk and changes.get("is_active") is False:
        raise PermissionDenied("You cannot deactivate your own account.", fields={"is_active": ["Not your own."]})
    return _change(actor, user, changes, "user.update")


@transaction.atomic
def delete_user(actor, user: User) -> None:
    """An admin deletes an account (not their own); refused while other records still need it."""
    roles.require_role(actor, roles.ADMIN, "delete users")
    if user.pk == actor.pk:
        raise PermissionDenied("You cannot delete your own account.")
    audit.record(actor, "user.delete", user, {"username": [user.username, None], "email": [user.email, None]})
    try:
        with transaction.atomic():
            user.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise Conflict(f"Other records still need {user.username}'s account: deactivate it instead.") from exc


def _apply_role(user: User, role: str) -> None:
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
