"""How API requests are authenticated: a JWT or ``Authorization: Api-Key <key>``.

Each loads the user and the user's role in one query (``roles.highest_role_subquery``), so
that authenticating and checking the role of a request costs one round trip to the database.
"""
import copy
import functools
import time
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Q
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework_simplejwt import authentication as jwt
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from . import roles
from .models import ApiKey, User, hash_key

KEYWORD = "Api-Key"
# A key's last use is bookkeeping for the key list; writing it on every request of a busy agent
# would make each read also a write.
LAST_USED_EVERY = timedelta(minutes=1)
# Bearer tokens whose signature was checked, by their exact text, until they expire: a client
# sends the same token for many requests, and checking it again cost a fifth of a small request.
VERIFIED_TOKENS_KEPT = 4096
_verified_tokens: dict = {}


@functools.cache
def _user_with_role_sql() -> tuple[str, list]:
    """SQL for one user by id, every column and then the name of the user's highest role group.

    Written out once rather than built by the ORM on every request: composing the annotated query
    (``roles.highest_role_subquery`` is its ORM form) cost more CPU than the rest of a small request.
    """
    fields = User._meta.concrete_fields
    users, group, member = User._meta.db_table, Group._meta.db_table, User.groups.through._meta.db_table
    ranks = " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in roles.RANK.items())
    names = ", ".join(f"'{name}'" for name in roles.ROLES)
    columns = ", ".join(f'u."{field.column}"' for field in fields)
    sql = (f'SELECT {columns}, (SELECT g.name FROM "{group}" g JOIN "{member}" m ON m.group_id = g.id '
           f"WHERE m.user_id = u.id AND g.name IN ({names}) ORDER BY CASE g.name {ranks} END DESC LIMIT 1) "
           f'FROM "{users}" u WHERE u."{User._meta.get_field(jwt_settings.USER_ID_FIELD).column}" = %s')
    return sql, list(fields)


def user_with_role(user_id):
    """The user with ``user_id`` with the role remembered (``roles.remember_role``), or None: one query."""
    sql, fields = _user_with_role_sql()
    connection = connections[router.db_for_read(User)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = [field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value
              for field, value in zip(fields, row, strict=False)]
    user = User.from_db(connection.alias, [field.attname for field in fields], values)
    roles.remember_role(user, row[-1])
    return user


class JWTAuthentication(jwt.JWTAuthentication):
    """simplejwt's bearer tokens, with the user's role read in the same query as the user."""

    def get_validated_token(self, raw_token):
        """The checked token; one seen before (same bytes, so same signature) is not checked again until it expires.

        Only the signature check is remembered: the user, whether they are active and whether their
        password changed since the token was issued are read on every request (``get_user``).
        """
        known = _verified_tokens.get(raw_token)
        if known is not None:
            if time.time() < known.payload["exp"]:
                token = copy.copy(known)
                token.payload = dict(known.payload)  # a request may read or change its token's claims
                return token
            _verified_tokens.pop(raw_token, None)
        token = super().get_validated_token(raw_token)
        if "exp" in token.payload:
            if len(_verified_tokens) >= VERIFIED_TOKENS_KEPT:
                _verified_tokens.clear()  # simple bound; busy clients are back after one check each
            kept = copy.copy(token)
            kept.payload = dict(token.payload)
            _verified_tokens[raw_token] = kept
        return token

    def get_user(self, validated_token):
        """The token's active user, with the role remembered; refuses a token of a changed password."""
        try:
            user_id = validated_token[jwt_settings.USER_ID_CLAIM]
        except KeyError as exc:
            raise jwt.InvalidToken("The token names no user.") from exc
        try:
            user_id = User._meta.get_field(jwt_settings.USER_ID_FIELD).to_python(user_id)
        except ValidationError as exc:
            raise jwt.InvalidToken("The token names no user.") from exc
        user = user_with_role(user_id)
        if user is None:
            raise exceptions.AuthenticationFailed("User not found", code="user_not_found")
        if jwt_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise exceptions.AuthenticationFailed("User is inactive", code="user_inactive")
        if jwt_settings.CHECK_REVOKE_TOKEN and (
                validated_token.get(jwt_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password)):
            raise exceptions.AuthenticationFailed("The user's password has been changed.", code="password_changed")
        return user


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Authenticates a request as the key's user, capped at the key's role."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header.startswith(KEYWORD + " "):
            return None
        raw = header[len(KEYWORD) + 1 :].strip()
        key = (ApiKey.objects.select_related("user")
               .annotate(user_role_name=roles.highest_role_subquery("user_id"))
               .filter(key_hash=hash_key(raw)).first())
        if key is None or not key.is_active or not key.user.is_active:
            raise exceptions.AuthenticationFailed("That API key is unknown, revoked or expired.")
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_EVERY:
            # One conditional UPDATE, not a save(): last-used time is bookkeeping, not an audited
            # change, and of concurrent requests only the first in a minute writes.
            ApiKey.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY),
                                  pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
        user = key.user
        roles.remember_role(user, key.user_role_name)
        user.api_key = key
        return user, key

    def authenticate_header(self, request):
        return KEYWORD
