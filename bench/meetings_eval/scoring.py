"""How the evaluation set is spoken and scored: espeak-ng audio, WER, item and decision matching."""
import re
import shutil
import subprocess
from pathlib import Path

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ORDINAL = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth", "15th": "fifteenth"}
STOP = set("a an the to of for and on by in at is be will can could would you your we our it this that".split())


def speak(text: str, path: Path, rate: int = 160) -> Path:
    """``text`` spoken by espeak-ng, resampled by sox to 16 kHz mono WAV at ``path``."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install espeak-ng sox")
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-s", str(rate), "-w", str(raw), text], check=True, capture_output=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(path)], check=True, capture_output=True)
    raw.unlink()
    return path


def _number(match: re.Match) -> str:
    value = int(match.group(0))
    if value < 20:
        return ONES[value]
    if value < 100:
        return TENS[value // 10] + ("" if value % 10 == 0 else " " + ONES[value % 10])
    return match.group(0)


def normalize(text: str) -> list[str]:
    """Words for WER: lower case, no punctuation, numbers spelled out, "okay" as "ok"."""
    text = text.lower()
    for short, word in ORDINAL.items():
        text = re.sub(rf"\b{short}\b", word, text)
    text = re.sub(r"\d+", _number, text)
    text = re.sub(r"[^a-z0-9' ]+", " ", text.replace("-", " "))
    words = [w.strip("'") for w in text.split()]
    return ["ok" if w == "okay" else w for w in words if w]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edit distance in words, reference length)."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, other in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
        previous = current
    return previous[-1], len(ref)


def content(text: str) -> set[str]:
    """Content words, crudely stemmed, for "most content words present"."""
    words = [w for w in normalize(text) if w not in STOP]
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words}


def covers(expected: str, found: str, share: float = 0.6) -> bool:
    """Whether ``found`` holds most (``share``) of the content words of ``expected``."""
    wanted = content(expected)
    return bool(wanted) and len(wanted & content(found)) / len(wanted) >= share


def match_items(expected: list[dict], found: list[dict]) -> tuple[int, int]:
    """(true positives, of which with the right due date): same owner and most content words present."""
    unused = list(found)
    hits = dues = 0
    for item in expected:
        for candidate in unused:
            if candidate["owner"] == item["owner"] and covers(item["task"], candidate["task"]):
                hits += 1
                dues += candidate.get("due") == item.get("due")
                unused.remove(candidate)
                break
    return hits, dues


def keyword_coverage(keywords: list[str], summary: str) -> tuple[int, int]:
    """(keywords whose words all appear in the summary, keywords)."""
    said = content(summary)
    return sum(content(k) <= said for k in keywords), len(keywords)
