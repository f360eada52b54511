"""Full-text search over meetings.

In PostgreSQL a weighted ``tsvector`` (title A, agenda and notes B, transcript C) is stored on
each meeting with a GIN index; the services that save a meeting or its transcript refresh it in
the same transaction, so it is never stale. Ranked with ``ts_rank`` and highlighted with
``ts_headline``. The embedded mode (SQLite) finds meetings holding every word and highlights them
in a snippet of its own.
"""
import re

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import F, Q
from django.utils.html import escape

from core.errors import RuleViolation

from ..access import visible_meetings
from ..models import Meeting

WORD = re.compile(r"\w+", re.UNICODE)


def _vector():
    return (SearchVector("title", weight="A", config="english")
            + SearchVector("agenda", "notes", weight="B", config="english")
            + SearchVector("transcript", weight="C", config="english"))


def refresh_search(meeting_id: int) -> None:
    """Recompute one meeting's search vector from its current title, agenda, notes and transcript."""
    if settings.IS_POSTGRES:
        Meeting.objects.filter(pk=meeting_id).update(search_vector=_vector())


def rebuild_search() -> int:
    """Recompute every meeting's search vector (after an import or a change of weights); returns how many."""
    if not settings.IS_POSTGRES:
        return 0
    return Meeting.objects.update(search_vector=_vector())


def search_meetings(actor, text: str, limit: int = 20) -> list[dict]:
    """Meetings ``actor`` may see that match ``text``, best first, each with a highlighted snippet."""
    words = WORD.findall(text or "")
    if not words:
        raise RuleViolation("Search for at least one word.", fields={"q": ["required"]})
    if len(text) > 200:
        raise RuleViolation("Search for at most 200 characters.", fields={"q": ["too long"]})
    rows = visible_meetings(actor)
    if settings.IS_POSTGRES:
        return _postgres(rows, text, limit)
    return _embedded(rows, words, limit)


def _postgres(rows, text: str, limit: int) -> list[dict]:
    query = SearchQuery(text, search_type="websearch", config="english")
    found = (rows.filter(search_vector=query)
             .annotate(rank=SearchRank(F("search_vector"), query),
                       snippet=SearchHeadline("transcript", query, config="english",
                                              start_sel="<mark>", stop_sel="</mark>", max_words=30, min_words=10),
                       title_marked=SearchHeadline("title", query, config="english", start_sel="<mark>",
                                                   stop_sel="</mark>", highlight_all=True),
                       notes_marked=SearchHeadline("notes", query, config="english",
                                                   start_sel="<mark>", stop_sel="</mark>", max_words=30))
             .order_by("-rank", "-starts_at")
             .only("id", "title", "starts_at", "kind", "status")[:limit])
    results = []
    for meeting in found:
        snippet = meeting.snippet if "<mark>" in meeting.snippet else meeting.notes_marked
        results.append(_result(meeting, round(float(meeting.rank), 4), _safe(meeting.title_marked), _safe(snippet)))
    return results


def _safe(marked: str) -> str:
    """Escape what users wrote, keeping only our own <mark> tags."""
    return escape(marked).replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")


def _embedded(rows, words: list[str], limit: int) -> list[dict]:
    for word in words:
        rows = rows.filter(Q(title__icontains=word) | Q(agenda__icontains=word) | Q(notes__icontains=word)
                           | Q(transcript__icontains=word))
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    scored = []
    for meeting in rows.only("id", "title", "starts_at", "kind", "status", "agenda", "notes", "transcript")[:500]:
        rank = (3 * len(pattern.findall(meeting.title)) + 2 * len(pattern.findall(meeting.agenda + meeting.notes))
                + len(pattern.findall(meeting.transcript)))
        scored.append((rank, meeting))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].starts_at.timestamp()))
    return [_result(m, float(rank), _mark(pattern, m.title), _mark(pattern, _window(pattern, m)))
            for rank, m in scored[:limit]]


def _window(pattern, meeting) -> str:
    for text in (meeting.transcript, meeting.notes, meeting.agenda):
        hit = pattern.search(text)
        if hit:
            start = max(0, hit.start() - 80)
            return ("…" if start else "") + text[start:hit.end() + 120]
    return ""


def _mark(pattern, text: str) -> str:
    parts, last = [], 0
    for hit in pattern.finditer(text):
        parts += [escape(text[last:hit.start()]), "<mark>", escape(hit.group(0)), "</mark>"]
        last = hit.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def _result(meeting, rank: float, title: str, snippet: str) -> dict:
    return {"id": meeting.pk, "title": meeting.title, "starts_at": meeting.starts_at, "kind": meeting.kind,
            "status": meeting.status, "rank": rank, "title_highlighted": title, "snippet": snippet}
