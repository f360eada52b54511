"""Users and API keys."""
import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from core.models import TimeStampedModel


def default_notification_preferences():
    return {"email": True, "discord": False}


def is_discord_id(value: str) -> bool:
    """Whether ``value`` is a Discord user id (a number): only such ids are pasted into messages as mentions."""
    return bool(value) and value.isascii() and value.isdigit()


class User(AbstractUser):
    """A person who uses Benchtop; their role comes from the group they are in (see ``accounts.roles``)."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=150, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    discord_id = models.CharField(max_length=64, blank=True)
    notification_preferences = models.JSONField(default=default_notification_preferences, blank=True)

    REQUIRED_FIELDS = ["email"]

    # Set by API-key authentication for the request it authenticates; caps the user's role.
    api_key = None

    class Meta(AbstractUser.Meta):
        constraints = [
            # Addresses differing only in case are one mailbox: login and password reset look them up
            # ignoring case, so the database refuses a second one even when two saves race.
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self):
        return self.display_name or self.username

    def wants(self, channel: str) -> bool:
        """Whether this user takes notifications by ``channel`` (``email`` or ``discord``).

        What they have not chosen falls back to the defaults (email yes, Discord no); a disabled
        account hears nothing.
        """
        chosen = self.notification_preferences or {}
        return self.is_active and bool(chosen.get(channel, default_notification_preferences().get(channel, False)))

    @property
    def discord_mention(self) -> str:
        """``<@id>`` for a Discord message, or "" when no valid id is stored."""
        return f"<@{self.discord_id}>" if is_discord_id(self.discord_id) else ""

    @property
    def role(self) -> str | None:
        from .roles import role_of  # roles imports this module (for User), so not at the top

        return role_of(self)

    def has_perm(self, perm, obj=None):
        """Django permissions, limited to the key's role when acting through an API key."""
        if not super().has_perm(perm, obj):
            return False
        if self.api_key is None:
            return True
        from .roles import role_has_perm  # roles imports this module (for User), so not at the top

        return role_has_perm(self.api_key.role, perm)


def hash_key(raw: str) -> str:
    """SHA-256 of an API key; keys are long random strings, so a plain hash is enough."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(TimeStampedModel):
    """A credential for a machine or workflow agent, acting as ``user`` with at most ``role``."""

    name = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    role = models.CharField(max_length=20)
    prefix = models.CharField(max_length=12, unique=True, help_text="Shown so a key can be recognised.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
