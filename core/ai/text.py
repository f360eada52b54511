"""Sentences with their times, and the content words of a text.

A regex splitter is enough for transcripts, which come punctuated by the speech model, and
saves shipping NLTK's sentence models.
"""
import re
from dataclasses import dataclass

from .base import Segment

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'])")
WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
STOPWORDS = set("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
few for from further get got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's me
more most mustn't my myself no nor not now of off on once only or other ought our ours ourselves out over own
okay ok so same shan't she she'd she'll she's should shouldn't some such than that that's the their theirs
them themselves then there there's these they they'd they'll they're they've this those through to too under
until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which
while who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your yours
yourself yourselves yes yeah right well thanks thank please can could everyone everybody good morning
let lets going go gonna want need think one also really just maybe sure great
""".split())


@dataclass
class Sentence:
    """One sentence of the transcript, when it started, and who said it when known."""

    text: str
    start: float
    speaker: str = ""


def sentences(segments: list[Segment]) -> list[Sentence]:
    """Split segments into sentences; a sentence spanning segments starts where its first words did."""
    found: list[Sentence] = []
    pending, pending_start, pending_speaker = "", None, ""
    for segment in segments:
        for part in SENTENCE_END.split(segment.text.strip()):
            if not part:
                continue
            if pending_start is None:
                pending_start, pending_speaker = segment.start, segment.speaker
            pending = f"{pending} {part}".strip()
            if pending[-1:] in ".!?":
                found.append(Sentence(pending, pending_start, pending_speaker))
                pending, pending_start = "", None
    if pending:
        found.append(Sentence(pending, pending_start or 0.0, pending_speaker))
    return found


def content_words(text: str) -> list[str]:
    """Lower-case words of ``text`` that carry meaning (no stop words, no one-letter words)."""
    return [word.strip("'-") for word in WORD.findall(text.lower())
            if word not in STOPWORDS and len(word.strip("'-")) > 1]


def stem(word: str) -> str:
    """A crude stem so "calibrate", "calibrated" and "calibration" meet."""
    for suffix in ("ations", "ation", "ings", "ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
