"""The meeting's own words: hot words for the speech model and a fixer for its near-misses.

Written here because no library matches a short list of names against a transcript the way a
small speech model gets them wrong (a name one letter off, "man saw" for "band saw", "my Friday"
for "by Friday").
"""
import difflib
import re

from .base import MeetingContext

WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# Everyday words a lab name may resemble; never "corrected" into a name.
COMMON = set("""
a an and are as at be been but by can could did do does done for from had has have he her him his i if in
into is it its just let me my no not now of on or our out over she so than that the their them then there
these they this those to too up us was we were what when where which who will with would you your
order check call clean move test bring send book plan print write read fix run set put take make give
pump tube plate lamp filter glove gloves laser scope cable board table paper
""".split())
DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DATE_WORDS = r"(?:" + DAYS + r"|tomorrow|today|tonight|the end of|end of|next " + DAYS + r"|next week|next month)"
# "by" before a day is heard as "my", "I", "high" or "buy" by small models; no one says "my Friday" as a deadline.
MISHEARD_BY = re.compile(r"\b(?:my|i|high|buy|bye)\s+(?=" + DATE_WORDS + r"\b)", re.IGNORECASE)


def terms_of(context: MeetingContext) -> list[str]:
    """Attendee names (first names, which is how people are addressed, then full), then the lab's words."""
    seen, terms = set(), []
    firsts = [name.split()[0] for name in context.attendees if name.split()]
    for term in firsts + context.attendees + context.vocabulary:
        key = term.strip().lower()
        if key and key not in seen:
            seen.add(key)
            terms.append(term.strip())
    return terms


def hotwords_for(context: MeetingContext, limit: int = 400) -> str:
    """Hot words for the speech model: first names and the lab's words (full names make it invent surnames)."""
    firsts = [name.split()[0] for name in context.attendees if name.split()]
    words, seen = [], set()
    for term in firsts + context.vocabulary:
        if term.lower() not in seen:
            seen.add(term.lower())
            words.append(term)
    return ", ".join(words)[:limit]


def prompt_for(context: MeetingContext, limit: int = 600) -> str:
    """A prompt in the style of a minutes header: who was there, the agenda, the lab's names.

    Sent to OpenAI-compatible services, whose larger models follow a prompt's spelling without
    dropping speech the way tiny.en does.
    """
    parts = []
    if context.attendees:
        parts.append("Attendees: " + ", ".join(context.attendees) + ".")
    if context.agenda.strip():
        parts.append("Agenda: " + " ".join(context.agenda.split())[:250])
    if context.vocabulary:
        parts.append("Equipment and materials: " + ", ".join(context.vocabulary) + ".")
    return " ".join(parts)[:limit]


class Corrector:
    """Puts right what is one slip away from a known name or phrase, and "my Friday" as "by Friday"."""

    def __init__(self, terms: list[str], phrases: list[str] | None = None, is_common=None, cutoff: float = 0.8):
        """``terms``: names and words to spell right; ``phrases``: multi-word lab names ("band saw") to
        restore when one word of them was misheard; ``is_common(word)``: True for everyday words,
        which are never turned into a name ("going" is not "gowning")."""
        self.cutoff = cutoff
        self.is_common = is_common or (lambda word: word.lower() in COMMON)
        self.single = {}
        self.phrases = [[w.lower() for w in WORD.findall(p)] for p in phrases or [] if len(WORD.findall(p)) >= 2]
        for term in terms:
            for word in WORD.findall(term):
                if len(word) >= 4 and word.lower() not in COMMON:
                    self.single.setdefault(word.lower(), word)
        self.keys = list(self.single)

    def correct(self, text: str) -> str:
        """``text`` with near-miss spellings of known names and phrases replaced."""
        text = MISHEARD_BY.sub("by ", text)
        for phrase in self.phrases:
            text = self._phrase(text, phrase)
        if not self.keys:
            return text
        return WORD.sub(self._replace, text)

    def _phrase(self, text: str, phrase: list[str]) -> str:
        """Replace word runs that differ from ``phrase`` in one word by a close spelling ("man saw")."""
        matches = list(WORD.finditer(text))
        size = len(phrase)
        for start in range(len(matches) - size, -1, -1):
            run = matches[start:start + size]
            said = [m.group(0).lower() for m in run]
            if said == phrase:
                continue
            different = [(a, b) for a, b in zip(said, phrase, strict=True) if a != b]
            if len(different) != 1:
                continue
            heard, meant = different[0]
            if len(meant) >= 4 and len(heard) >= 3 and difflib.SequenceMatcher(a=heard, b=meant).ratio() >= 0.55:
                first, last = run[0].start(), run[-1].end()
                replacement = " ".join(phrase)
                if text[first].isupper():
                    replacement = replacement[0].upper() + replacement[1:]
                text = text[:first] + replacement + text[last:]
        return text

    def _replace(self, match: re.Match) -> str:
        word = match.group(0)
        low = word.lower()
        if low in self.single or low in COMMON or len(low) < 3:
            return self.single.get(low, word) if low in self.single and word[0].isupper() else word
        if self.is_common(word):
            return word
        close = difflib.get_close_matches(low, self.keys, n=1, cutoff=self.cutoff)
        if not close or close[0][0] != low[0] or low.startswith(close[0]) or close[0].startswith(low):
            return word  # another letter first, or the same word inflected ("nozzles")
        name = self.single[close[0]]
        return name if word[0].isupper() or name[0].islower() else name.lower()
