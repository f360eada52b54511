"""Password logins, throttled per account and per address in the shared cache.

Every login door (the JWT endpoint, the staff login page, the admin login and the
browsable API's login) calls ``login``, so one failure counter holds for all of them.
"""
import hashlib
import time
import unicodedata

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from core import audit
from core.errors import DomainError, RuleViolation

from ..models import User

LOGIN_WINDOW_SECONDS = 60


class TooManyAttempts(DomainError):
    """Too many failed logins for this account or address: 429."""

    status_code = 429
    code = "throttled"

    def __init__(self, retry_after: int):
        super().__init__(f"Too many failed logins. Try again in {retry_after} seconds.", retry_after=retry_after)
        self.retry_after = retry_after


class BadCredentials(DomainError):
    """Wrong username or password: 401."""

    status_code = 401
    code = "bad_credentials"


def account_named(identifier: str) -> User | None:
    """The account a typed username or email address names, ignoring case; None if none does.

    An exact username wins, then an email address, then a username in another case.
    """
    typed = identifier.strip()
    if not typed:
        return None
    account = User.objects.filter(username=typed).first()
    if account is None and "@" in typed:
        account = User.objects.filter(email__iexact=typed).order_by("pk").first()
    if account is None:
        account = User.objects.filter(username__iexact=typed).order_by("pk").first()
    return account


def _login_keys(identifier: str, account: User | None, ip: str | None) -> list[str]:
    # One counter per account, whichever of its names was typed; unknown names count by
    # their normalised text. Hashed: the text is user input, and cache keys stay short and plain.
    if account is not None:
        subject = f"account:{account.pk}"
    else:
        subject = "name:" + unicodedata.normalize("NFKC", identifier.strip()).casefold()
    keys = [f"login-fail:user:{hashlib.sha256(subject.encode()).hexdigest()[:32]}"]
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def _retry_after(key: str) -> int:
    started = cache.get(key + ":start") or time.time()
    return max(1, int(LOGIN_WINDOW_SECONDS - (time.time() - started)) + 1)


def login(username: str, password: str, ip: str | None) -> User:
    """Check credentials, throttled per account and per IP; returns the user or raises.

    ``username`` may be the account's username or email address, in any case; both count
    against the same account. After ``LOGIN_FAILURES_PER_MINUTE`` failures in a minute,
    further attempts are refused with TooManyAttempts until the minute is over, even with
    the right password.
    """
    limit = settings.LOGIN_FAILURES_PER_MINUTE
    account = account_named(username)
    keys = _login_keys(username, account, ip)
    for key in keys:
        if (cache.get(key) or 0) >= limit:
            raise TooManyAttempts(_retry_after(key))
    # With no account, authenticate() still hashes the password, so both answers take as long.
    user = authenticate(username=account.username if account else username, password=password)
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
def logout(actor, refresh: str) -> None:
    """End a token session: the refresh token is blacklisted, so it can never mint an access token again.

    Only the token's own user may log it out; the logout is recorded in the audit trail.
    """
    try:
        token = RefreshToken(refresh)
        if str(token.get("user_id")) != str(actor.pk):
            raise TokenError("it belongs to another user")
        token.blacklist()
    except TokenError as exc:
        raise RuleViolation(f"That refresh token cannot be used: {exc}", code="token_not_valid",
                            fields={"refresh": [str(exc)]}) from exc
    audit.record(actor, "user.logout", actor, {"session": ["token", None]})
