"""Plain-text helpers for spoken commands: spelled-out numbers to digits, names compared fuzzily.

A speech model writes "printer two", "printer 2" or "Printer 2." for the same words, so
both the utterance and the lab's names are brought to one form before they are compared.
"""
import difflib
import re

UNITS = {"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
         "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
# Small models hear "two" as "to"/"too" only before a noun like "hours"; those are fixed in place.
SOUNDALIKE = [(re.compile(r"\b(?:to|too)\s+(?=hours?\b)"), "two "), (re.compile(r"\bfor\s+(?=hours\b)"), "four ")]


def _spell_numbers(words: list[str]) -> list[str]:
    """["one", "hundred", "twenty", "five", "degrees"] → ["125", "degrees"]."""
    out, number = [], None

    def flush():
        nonlocal number
        if number is not None:
            out.append(str(number))
            number = None

    for word in words:
        if word in UNITS and word != "oh":
            value = UNITS[word]
            if number is not None and number >= 100 and number % 100 == 0:
                number += value
            elif number is not None and number >= 20 and number % 10 == 0 and value < 10:
                number += value
            else:
                flush()
                number = value
        elif word in TENS:
            if number is not None and number >= 100 and number % 100 == 0:
                number += TENS[word]
            else:
                flush()
                number = TENS[word]
        elif word == "hundred" and number is not None and number < 10:
            number *= 100
        else:
            flush()
            out.append(word)
    flush()
    return out


def normalize(text: str) -> str:
    """Lower case, no punctuation but ``:`` in times and ``.`` in decimals, numbers as digits."""
    text = text.lower().replace("p.m.", "pm").replace("a.m.", "am").replace("°", " ").replace("%", " percent")
    text = re.sub(r"(\d)\s*(am|pm)\b", r"\1 \2", text)
    text = re.sub(r"(?<!\d)[.,!?;\"]|[.,](?!\d)", " ", text)
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^a-z0-9:. -]", " ", text)
    for pattern, replacement in SOUNDALIKE:
        text = pattern.sub(replacement, text)
    words = [w for w in text.replace("-", " ").split() if w]
    return " ".join(_spell_numbers(words))


STOP = {"the", "a", "an", "my", "our", "please", "in", "on", "of", "for"}


def _plain(text: str) -> str:
    return " ".join(word for word in normalize(text).split() if word not in STOP)


def similarity(phrase: str, name: str) -> float:
    """How alike a heard phrase and a known name are, 0–1 (names' extra words count less)."""
    heard, known = _plain(phrase), _plain(name)
    if not heard or not known:
        return 0.0
    if heard == known:
        return 1.0
    whole = difflib.SequenceMatcher(None, heard, known).ratio()
    heard_words, known_words = set(heard.split()), set(known.split())
    # Every word of the name heard (in any order, among others) is nearly as good as exact.
    covered = len(heard_words & known_words) / len(known_words)
    heard_digits = {w for w in heard_words if w.isdigit()}
    # "printer 1" is never "printer 2"; a number left out ("plywood") is only a shorter name.
    digits_differ = bool(heard_digits) and heard_digits != {w for w in known_words if w.isdigit()}
    score = max(whole, 0.95 * covered if covered == 1 else 0.0)
    if heard_words <= known_words:  # "plywood" for "Plywood 3 mm": a short form of the name
        score = max(score, 0.85)
    return score * (0.6 if digits_differ else 1.0)


def best_match(phrase: str, names) -> tuple[str | None, float]:
    """The known name closest to ``phrase`` and its score (None, 0 when there are no names)."""
    scored = sorted(((similarity(phrase, name), name) for name in names), key=lambda pair: -pair[0])
    if not scored:
        return None, 0.0
    best, name = scored[0]
    if len(scored) > 1 and scored[1][0] == best and best < 1.0:
        best *= 0.9  # two names fit as well: the command must ask which
    return name, round(best, 3)
