"""Plain-text helpers for spoken commands: spelled-out numbers to digits, names compared fuzzily.

A speech model writes "printer two", "printer 2" or "Printer 2." for the same words, so
both the utterance and the lab's names are brought to one form before they are compared.
Names are compared three ways and the best counts: as written, with the spaces gone (a small
model splits and joins words: "light wood" for "plywood", "airfield" for "air filter"), and
by how they sound (``sound_key``), and a word that sounds like a digit ("to", "won") counts as
that digit when the name has one there ("printer to" is "Printer 2").
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


def _join_hundreds(words: list[str]) -> list[str]:
    """["200", "10"] → ["210"]: "two hundred ten" written by a speech model in two pieces ("200, 10")."""
    out = []
    for word in words:
        if out and word.isdigit() and int(word) < 100 and out[-1].isdigit() and int(out[-1]) % 100 == 0 \
                and int(out[-1]) >= 100:
            out[-1] = str(int(out[-1]) + int(word))
        else:
            out.append(word)
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
    return " ".join(_join_hundreds(_spell_numbers(words)))


STOP = {"the", "a", "an", "my", "our", "please", "in", "on", "of", "for"}
# Words a speech model writes for a spoken digit (homophones and near-homophones).
DIGIT_SOUNDALIKES = {"to": "2", "too": "2", "tu": "2", "won": "1", "want": "1", "for": "4", "fore": "4",
                     "free": "3", "tree": "3", "ate": "8", "sex": "6", "fife": "5", "nein": "9"}
# Letters that sound alike, folded to one (a rough English sound code, in the spirit of Metaphone).
SOUNDS = [("ph", "f"), ("gh", ""), ("ck", "k"), ("sch", "sk"), ("tch", "ch"), ("wh", "w"), ("th", "t"),
          ("ce", "se"), ("ci", "si"), ("cy", "sy"), ("c", "k"), ("q", "k"), ("x", "ks"), ("z", "s"), ("v", "f"),
          ("dg", "j"), ("d", "t"), ("b", "p"), ("g", "k"), ("y", "i")]


def sound_key(text: str) -> str:
    """How a phrase sounds, roughly: no spaces, alike letters folded, vowels after the first dropped, no doubles.

    "light wood" and "plywood", "curl" and "cool", "LED" and "bed" come out close; digits stay as they are.
    """
    text = re.sub(r"[^a-z0-9]", "", text.lower())
    for letters, sound in SOUNDS:
        text = text.replace(letters, sound)
    if not text:
        return ""
    key = text[0] + re.sub(r"[aeiouh]", "", text[1:])
    return re.sub(r"(.)\1+", r"\1", key)


def _plain(text: str) -> str:
    return " ".join(word for word in normalize(text).split() if word not in STOP)


def _with_digits(heard: str, known: str) -> str:
    """``heard`` with digit-sounding words ("to", "won") as digits, where the name has a digit in that place."""
    heard_words, known_words = heard.split(), known.split()
    if not any(w.isdigit() for w in known_words):
        return heard
    out = []
    for index, word in enumerate(heard_words):
        digit = DIGIT_SOUNDALIKES.get(word)
        # the word before it is a word of the name ("printer to"): the name's number is meant
        if digit and index and heard_words[index - 1] in known_words:
            out.append(digit)
        else:
            out.append(word)
    return " ".join(out)


def _compare(heard: str, known: str) -> float:
    if heard == known:
        return 1.0
    whole = difflib.SequenceMatcher(None, heard, known).ratio()
    joined = difflib.SequenceMatcher(None, heard.replace(" ", ""), known.replace(" ", "")).ratio()
    heard_key, known_key = sound_key(heard), sound_key(known)
    sounds = difflib.SequenceMatcher(None, heard_key, known_key).ratio() if len(known_key) >= 3 else 0.0
    heard_words, known_words = set(heard.split()), set(known.split())
    # Every word of the name heard (in any order, among others) is nearly as good as exact.
    covered = len(heard_words & known_words) / len(known_words)
    heard_digits = {w for w in heard_words if w.isdigit()}
    # "printer 1" is never "printer 2"; a number left out ("plywood") is only a shorter name.
    digits_differ = bool(heard_digits) and heard_digits != {w for w in known_words if w.isdigit()}
    # Sounding alike is weaker evidence than being spelled alike, hence the discounts.
    score = max(whole, 0.95 * joined, 0.9 * sounds, 0.95 * covered if covered == 1 else 0.0)
    if heard_words <= known_words:  # "plywood" for "Plywood 3 mm": a short form of the name
        score = max(score, 0.85)
    return score * (0.6 if digits_differ else 1.0)


def similarity(phrase: str, name: str) -> float:
    """How alike a heard phrase and a known name are, 0–1 (names' extra words count less)."""
    heard, known = _plain(phrase), _plain(name)
    if not heard or not known:
        return 0.0
    score = _compare(heard, known)
    # a name's number said as a short form of the name ("plywood") or heard as a word ("printer to")
    short = " ".join(w for w in known.split() if not w.isdigit() and w not in ("mm", "cm", "m"))
    if short and short != known and not any(w.isdigit() for w in heard.split()):
        score = max(score, 0.9 * _compare(heard, short))
    digits = _with_digits(heard, known)
    if digits != heard:
        score = max(score, 0.97 * _compare(digits, known))
    return score


def best_match(phrase: str, names) -> tuple[str | None, float]:
    """The known name closest to ``phrase`` and its score (None, 0 when there are no names)."""
    scored = sorted(((similarity(phrase, name), name) for name in names), key=lambda pair: -pair[0])
    if not scored:
        return None, 0.0
    best, name = scored[0]
    if len(scored) > 1 and scored[1][0] == best and best < 1.0:
        best = min(best * 0.9, 0.79)  # two names fit as well: the command must ask which
    return name, round(best, 3)
