"""The meeting's own words: a prompt for the speech model and a fixer for its near-misses.

Written here because no library matches a short list of names against a transcript the way a
small speech model gets them wrong (split or merged words, one letter off).
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


def terms_of(context: MeetingContext) -> list[str]:
    """Attendee names, then the lab's words, without repeats."""
    seen, terms = set(), []
    for term in context.attendees + context.vocabulary:
        key = term.strip().lower()
        if key and key not in seen:
            seen.add(key)
            terms.append(term.strip())
    return terms


def prompt_for(context: MeetingContext, limit: int = 600) -> str:
    """An initial prompt in the style of a minutes header: who was there, the agenda, the lab's names.

    Whisper continues the style and spelling of its prompt, so names written here come out
    written the same way.
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
    """Replaces words that are one slip away from a known name with that name."""

    def __init__(self, terms: list[str], cutoff: float = 0.8):
        self.cutoff = cutoff
        self.single = {}
        for term in terms:
            for word in WORD.findall(term):
                if len(word) >= 4 and word.lower() not in COMMON:
                    self.single.setdefault(word.lower(), word)
        self.keys = list(self.single)

    def correct(self, text: str) -> str:
        """``text`` with near-miss spellings of known names replaced (case kept for names as written)."""
        if not self.keys:
            return text
        return WORD.sub(self._replace, text)

    def _replace(self, match: re.Match) -> str:
        word = match.group(0)
        low = word.lower()
        if low in self.single or low in COMMON or len(low) < 3:
            return self.single.get(low, word) if low in self.single and word[0].isupper() else word
        close = difflib.get_close_matches(low, self.keys, n=1, cutoff=self.cutoff)
        if not close or close[0][0] != low[0]:
            return word
        name = self.single[close[0]]
        return name if word[0].isupper() or name[0].islower() else name.lower()
