"""The audit trail: services record what they changed.

Written here rather than with django-auditlog because that library records
model saves from signals, whereas Benchtop records *service actions*
("approve", "consume") with the acting user or API key passed explicitly,
and must record the same way from web requests, Celery tasks, websocket
handlers and commands.
"""
from django.db import models

from . import context
from .models import AuditEntry

_MISSING = object()


def snapshot(instance, fields) -> dict:
    """The current values of ``fields`` on ``instance``, for a later ``diff``."""
    return {name: plain(getattr(instance, name, None)) for name in fields}


def diff(before: dict, instance) -> dict:
    """``{"field": [old, new]}`` for every field in ``before`` whose value has changed."""
    changes = {}
    for name, old in before.items():
        new = plain(getattr(instance, name, None))
        if old != new:
            changes[name] = [old, new]
    return changes


def apply_changes(actor, action: str, instance, fields: dict, *, check, save=None, also=(), then=None) -> dict:
    """The one way an update service changes a row: snapshot, set fields, check, save, diff, audit.

    ``instance`` is the row the service has re-read under its lock. ``check(instance)`` runs the
    rules on the changed instance (raising a ``DomainError``); ``save(instance)`` defaults to
    ``instance.save()``; ``also`` names fields the check or save may change besides ``fields``
    (a normalised address, a path rewritten with its parent); ``then(instance)`` runs after the
    save (many-to-many fields) and returns further ``{"field": [old, new]}`` entries. The audit
    entry ``action`` is recorded only when something changed; the changes are returned for the
    service's event.
    """
    before = snapshot(instance, [*fields, *(name for name in also if name not in fields)])
    for name, value in fields.items():
        setattr(instance, name, value)
    check(instance)
    if save is None:
        instance.save()
    else:
        save(instance)
    changes = diff(before, instance)
    if then is not None:
        changes.update(then(instance))
    if changes:
        record(actor, action, instance, changes)
    return changes


def plain(value):
    """JSON-friendly form of a field value."""
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return str(value)


def record(actor, action: str, obj, changes: dict | None = None, *, object_repr: str | None = None) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``obj``; call it inside the service's transaction.

    ``actor`` is a user (possibly acting through an API key) or ``None`` for the system.
    """
    ctx = context.current()
    api_key = getattr(actor, "api_key", None) if actor is not None else None
    if actor is None or not getattr(actor, "is_authenticated", False):
        kind, label, user = AuditEntry.ActorKind.SYSTEM, "system", None
    elif api_key is not None:
        kind, label, user = AuditEntry.ActorKind.API_KEY, f"{actor.get_username()} (key {api_key.name})", actor
    else:
        kind, label, user = AuditEntry.ActorKind.USER, actor.get_username(), actor
    return AuditEntry.objects.create(
        actor=user,
        actor_kind=kind,
        actor_label=label[:150],
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=(object_repr or str(obj))[:200],
        changes=plain(changes or {}),
        ip=ctx.ip if ctx else None,
        via=ctx.via if ctx else "system",
    )
