"""API keys for machines and agents: issued, listed and revoked only by people who logged in.

A key is a credential for a machine; letting it issue or revoke keys would let a leaked
key mint fresh ones that outlive its own revocation. So managing keys needs an
interactive login (session or JWT), whichever door the request came through.
"""
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core import audit, events
from core.errors import PermissionDenied, RuleViolation

from .. import roles
from ..models import ApiKey, User, hash_key


def require_interactive_login(actor, doing: str) -> None:
    """Raise PermissionDenied when ``actor`` acts through an API key: ``doing`` needs a password login."""
    if getattr(actor, "api_key", None) is not None:
        raise PermissionDenied(
            f"An API key cannot {doing}. Log in with a password (session or JWT) to do that."
        )


def api_keys_visible_to(actor) -> QuerySet[ApiKey]:
    """The keys ``actor`` may see: all for admins, their own for others; never through an API key."""
    require_interactive_login(actor, "list or read API keys")
    keys = ApiKey.objects.select_related("user")
    if not roles.has_role(actor, roles.ADMIN):
        keys = keys.filter(user=actor)
    return keys


@transaction.atomic
def create_api_key(actor, *, name: str, user: User, role: str, expires_at=None) -> tuple[ApiKey, str]:
    """Issue a key for ``user`` capped at ``role``; returns the key and its secret, shown only now.

    Admins issue keys for anyone; other users only for themselves and at most their own role.
    A request authenticated by an API key may not issue keys.
    """
    require_interactive_login(actor, "issue API keys")
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
    """Revoke a key at once; its owner or an admin may, but not through an API key."""
    require_interactive_login(actor, "revoke API keys")
    if key.user_id != actor.pk and not roles.has_role(actor, roles.ADMIN):
        raise PermissionDenied("Only the key's owner or an admin may revoke it.")
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit.record(actor, "api_key.revoke", key, {"revoked_at": [None, key.revoked_at.isoformat()]})
        events.close_sockets_of_api_key(key.pk)
    return key
