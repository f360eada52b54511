"""The activity feed: one readable line per change, with who made it, newest first.

The audit trail already holds one entry per change with its actor, so the feed reads it rather
than the event stream (where one change is published on several topics). A user sees the
entries of every app whose topic they may follow (``core.topics``) and their own account's;
who may follow the audit trail sees every change.

Each app may phrase its entries in an ``<app>.activity`` module with
``describe(entries) -> {entry id: "requested Laser cutter Tue 1 Dec 2026 10:00–12:00"}``;
core imports it by name, so core itself knows no app.
"""
import importlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from . import topics
from .models import AuditEntry

FEED_LENGTH = 40


@dataclass(frozen=True)
class Line:
    """One change as the feed shows it."""

    at: datetime
    actor: str
    text: str
    link: str


def _describer(app_label: str):
    try:
        module = importlib.import_module(f"{app_label}.activity")
    except ModuleNotFoundError:
        return None
    return getattr(module, "describe", None)


def _fallback(entry: AuditEntry) -> str:
    verb = entry.action.split(".", 1)[-1].replace("_", " ")
    return f"{verb} {entry.object_repr}".strip()


def visible_entries(user, limit: int = FEED_LENGTH) -> list[AuditEntry]:
    """The newest audit entries of the apps ``user`` may follow, and those about their own account."""
    apps = [name for name in topics.followable(user) if ":" not in name]
    if "audit" in apps:  # who may follow the audit trail sees every change
        return list(AuditEntry.objects.select_related("actor").order_by("-at", "-pk")[:limit])
    seen = Q(pk__in=[])
    for app in apps:
        seen |= Q(object_type__startswith=f"{app}.")
    seen |= Q(object_type="accounts.user", object_id=str(user.pk))
    return list(AuditEntry.objects.filter(seen).select_related("actor").order_by("-at", "-pk")[:limit])


def feed(user, limit: int = FEED_LENGTH) -> list[Line]:
    """The feed for ``user``: newest first, one line per change, phrased by the app it belongs to."""
    entries = visible_entries(user, limit)
    texts, links = {}, {}
    by_app = {}
    for entry in entries:
        by_app.setdefault(entry.object_type.split(".", 1)[0], []).append(entry)
    for app, group in by_app.items():
        describe = _describer(app)
        if describe is not None:
            for pk, answer in describe(group).items():
                text, link = answer if isinstance(answer, tuple) else (answer, "")
                texts[pk], links[pk] = text, link
    return [Line(at=e.at, actor=str(e.actor) if e.actor else e.actor_label or "system",
                 text=texts.get(e.pk) or _fallback(e), link=links.get(e.pk, "")) for e in entries]
