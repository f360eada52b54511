"""Shared model pieces, the audit trail and the recent-events store."""
import uuid

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    """Adds created and updated timestamps."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimeStampedModel):
    """A timestamped model with a UUID that is safe to show outsiders."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change of state made through a service: who, what, which fields, from where."""

    class ActorKind(models.TextChoices):
        USER = "user", "User"
        API_KEY = "api_key", "API key"
        SYSTEM = "system", "System"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices, default=ActorKind.SYSTEM)
    actor_label = models.CharField(max_length=150, blank=True, help_text="Username or key name at the time.")
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=100, db_index=True, help_text="app_label.model")
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text='{"field": [old, new]}')
    ip = models.GenericIPAddressField(null=True, blank=True)
    via = models.CharField(max_length=20, default="system")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit trail"
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or self.actor_kind} {self.action} {self.object_repr}"


class Event(models.Model):
    """A published event kept for backfill: clients that reconnect ask for what came after a position.

    The row is written with the change, but its ``position`` (the ``id`` clients see) is given
    only once that change has committed, so positions follow commit order: a transaction that
    published early and committed late still lands after what a client has already seen.
    """

    topic = models.CharField(max_length=150, db_index=True)
    type = models.CharField(max_length=100)
    data = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)
    position = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["topic", "position"])]

    def __str__(self):
        return f"#{self.pk} {self.topic} {self.type}"

    def as_message(self) -> dict:
        """The frame a websocket client receives for this event."""
        return {"type": self.type, "topic": self.topic, "data": self.data, "id": self.position,
                "at": self.at.isoformat()}


class OutboxJob(models.Model):
    """A background job (an email, a notification) that could not be queued because the broker was down.

    Kept in the database that holds the change it belongs to, and queued again by
    ``core.outbox.sweep`` once the broker is back: never lost, and never an error for a
    request whose change has already committed.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    options = models.JSONField(default=dict, blank=True, help_text="Queue and routing options.")
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "waiting background job"

    def __str__(self):
        return f"#{self.pk} {self.task}"
