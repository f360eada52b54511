"""An extractive summary: the sentences the rest of the meeting talks about most (TextRank).

Our own TextRank over content-word overlap, because sumy needs NLTK data that is not shipped
offline, and the graph here is a few dozen sentences.
"""
import math
from collections import Counter

from .text import Sentence, content_words, stem

NOT_TOPICS = {"next", "week", "weeks", "month", "today", "tomorrow", "yesterday", "keep", "meeting", "quick",
              "thing", "things", "time", "also", "again", "still", "every", "going", "want", "know"}
FILLER = ("good morning", "thanks everyone", "thank you", "let's start", "let's begin", "see you", "that's all",
          "that's it", "bye")


def _similarity(a: set[str], b: set[str]) -> float:
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return len(a & b) / (math.log(len(a)) + math.log(len(b)))


def rank(sentences: list[Sentence], iterations: int = 40, damping: float = 0.85) -> list[float]:
    """PageRank scores of the sentences on their similarity graph."""
    words = [{stem(word) for word in content_words(sentence.text)} for sentence in sentences]
    count = len(sentences)
    weights = [[_similarity(words[i], words[j]) if i != j else 0.0 for j in range(count)] for i in range(count)]
    totals = [sum(row) for row in weights]
    scores = [1.0] * count
    for _ in range(iterations):
        scores = [
            (1 - damping) + damping * sum(weights[j][i] / totals[j] * scores[j] for j in range(count) if totals[j])
            for i in range(count)
        ]
    return scores


def summarize(sentences: list[Sentence], limit: int | None = None, agenda: str = "",
              important: set[str] = frozenset()) -> str:
    """The best ``limit`` sentences (about a quarter of the meeting, 3 to 6) in the order they were said.

    Sentences about the agenda's topics count for more (the agenda says what the meeting was for),
    and so do the ``important`` ones (decisions, work given out).
    """
    useful = [s for s in sentences if len(content_words(s.text)) >= 3 and not s.text.lower().startswith(FILLER)
              and not s.text.endswith("?")]
    if not useful:
        return " ".join(s.text for s in sentences)
    limit = limit or max(3, min(6, round(len(useful) / 4)))
    topics = {stem(word) for word in content_words(agenda)}
    scores = rank(useful)
    for i, sentence in enumerate(useful):
        scores[i] += 0.5 * len(topics & {stem(word) for word in content_words(sentence.text)})
        scores[i] += 0.3 if sentence.text in important else 0.0
    best = sorted(range(len(useful)), key=lambda i: -scores[i])[:limit]
    return " ".join(useful[i].text for i in sorted(best))


def keywords(sentences: list[Sentence], limit: int = 8, leave_out: set[str] = frozenset(),
             agenda: str = "") -> list[str]:
    """The content words said most often (things, not grammar or people), the agenda's first on a tie."""
    topics = {stem(word) for word in content_words(agenda)}
    counts = Counter(word for s in sentences for word in content_words(s.text)
                     if len(word) > 3 and word not in leave_out and word not in NOT_TOPICS)
    merged: Counter = Counter()
    spelled: dict[str, str] = {}
    for word, count in counts.items():  # "sample" and "samples" are one topic
        merged[stem(word)] += count
        spelled.setdefault(stem(word), word)
    ranked = sorted(merged.items(), key=lambda pair: (-pair[1], pair[0] not in topics, pair[0]))
    return [spelled[key] for key, count in ranked[:limit] if count > 1 or key in topics]
