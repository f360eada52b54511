"""``Authorization: Api-Key <key>`` for machines and workflow agents."""
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiKey, hash_key

KEYWORD = "Api-Key"
# How stale "last used" may get: a key that calls every second writes its row once a minute, not each time.
LAST_USED_EVERY = timedelta(minutes=1)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Authenticates a request as the key's user, capped at the key's role."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header.startswith(KEYWORD + " "):
            return None
        raw = header[len(KEYWORD) + 1 :].strip()
        key = ApiKey.objects.select_related("user").filter(key_hash=hash_key(raw)).first()
        if key is None or not key.is_active or not key.user.is_active:
            raise exceptions.AuthenticationFailed("That API key is unknown, revoked or expired.")
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_EVERY:
            # One conditional UPDATE, not a save(): last-used time is bookkeeping, not an audited
            # change, and of concurrent requests only the first in a minute writes.
            ApiKey.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY),
                                  pk=key.pk).update(last_used_at=now)
        user = key.user
        user.api_key = key
        return user, key

    def authenticate_header(self, request):
        return KEYWORD
