"""From words to an intent: which action, on what, with which numbers and times.

``parse(text, names, now)`` knows nothing of the database: ``names`` holds the lab's
machine, bookable device, room and material names, so the same function serves the
service, the tests and the evaluation bench. Names are matched fuzzily (a speech model
writes "laser cuter", "printer to"); a weak match is kept but marked unclear, so the
command asks before it runs.
"""
import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime

from .when import device_phrase, parse_span
from .words import best_match, normalize, sound_key

SURE = 0.8  # a name matched at least this well needs no confirmation
HEARD = 0.55  # below this, the name was not understood at all

INTENTS = ("emergency_stop", "pause_job", "resume_job", "cancel_job", "home", "set_temperature", "fan", "switch",
           "dim", "book", "stock", "machine_status")
# Intents that change something a person would want to hear back before it happens.
RISKY = {"cancel_job", "set_temperature", "switch_all"}
HEATERS = {"bed": "bed", "hotend": "hotend", "nozzle": "hotend", "extruder": "hotend", "hot end": "hotend"}
KINDS = {"lights": "light", "light": "light", "lamps": "light", "lamp": "light", "fans": "fan", "fan": "fan",
         "extractor": "fan", "air filter": "air_filter", "filter": "air_filter", "air filters": "air_filter",
         "purifier": "air_filter", "sensors": "sensor"}
KIND_WORDS = "|".join(sorted(map(re.escape, KINDS), key=len, reverse=True))


# The words commands are made of: hot words for the speech model, and what a misheard first word is
# compared with ("curl down" → "cool down", "foam" → "home").
COMMAND_WORDS = ["pause", "resume", "cancel", "abort", "home", "emergency stop", "set the bed", "nozzle", "hotend",
                 "cool down", "turn off", "turn on", "dim", "book", "reserve", "how much", "status of", "lights",
                 "air filter"]
VERBS = ["pause", "resume", "continue", "cancel", "abort", "stop", "home", "set", "heat", "cool", "turn", "switch",
         "dim", "book", "reserve", "emergency", "how", "status", "what"]


@dataclass
class Intent:
    """What a command asks for: ``name`` (one of INTENTS or "unknown"), its slots, and how sure we are."""

    name: str
    slots: dict = field(default_factory=dict)
    score: float = 1.0
    missing: list[str] = field(default_factory=list)
    heard: str = ""

    @property
    def clear(self) -> bool:
        return self.name != "unknown" and not self.missing and self.score >= SURE

    @property
    def risky(self) -> bool:
        return self.name in RISKY


@dataclass
class Names:
    """The lab's names a command may mention."""

    machines: list[str] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)
    rooms: list[str] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return self.machines + self.devices + self.rooms + self.materials


def _named(intent: Intent, slot: str, phrase: str, names: list[str]) -> Intent:
    """Put the best-matching known name for ``phrase`` in ``slot``; weak or no match lowers the score."""
    name, score = best_match(phrase, names)
    if name is None or score < HEARD:
        intent.missing.append(f"which {slot} ('{phrase.strip()}' matches none)")
        intent.score = min(intent.score, score)
        return intent
    intent.slots[slot] = name
    intent.score = min(intent.score, score)
    return intent


PATTERNS = [
    ("emergency_stop", re.compile(r"\b(?:emergency stop|e stop|estop|stop everything|stop all(?: machines)?|"
                                  r"kill all)\b\s*(?P<machine>.*)$")),
    ("stock", re.compile(r"\bhow (?:much|many) (?P<material>.+?)(?: do we have| is| are)?"
                         r"(?: left| remaining| in stock| on hand)?$")),
    ("stock", re.compile(r"\b(?:stock of|stock level of|do we have(?: any)?|are we out of|check stock of) "
                         r"(?P<material>.+?)(?: left| in stock)?$")),
    ("book", re.compile(r"\b(?:book|reserve)\s+(?P<rest>.+)$")),
    ("fan", re.compile(r"\bset\s+(?:the\s+)?(?:part\s+)?fan\s+(?:of|on)\s+(?P<machine>.+?)\s+to\s+(?P<speed>\d+)")),
    ("dim", re.compile(r"\b(?:dim|set)\s+(?P<target>.*?(?:" + KIND_WORDS + r").*?)\s+(?:to\s+)?(?P<level>\d+)"
                       r"\s*(?:percent)?$")),
    ("switch", re.compile(r"\b(?:turn|switch|put)\s+(?P<state>on|off)\s+(?P<target>.+)$")),
    ("switch", re.compile(r"\b(?:turn|switch|put)\s+(?P<target>.+?)\s+(?P<state>on|off)$")),
    ("set_temperature", re.compile(r"\b(?:set|heat|warm up)\s+(?:the\s+)?(?P<heater>bed|hotend|hot end|nozzle|"
                                   r"extruder)(?:\s+temperature)?\s+(?:of|on|for)\s+(?P<machine>.+?)\s+to\s+"
                                   r"(?P<target>\d+)")),
    ("set_temperature", re.compile(r"\b(?:set|heat|warm up)\s+(?:the\s+)?(?P<machine>.+?)\s+(?P<heater>bed|hotend|"
                                   r"hot end|nozzle|extruder)(?:\s+temperature)?\s+to\s+(?P<target>\d+)")),
    # The part misheard ("set the LED of printer 2 to 70"): a heater or the fan by sound, asked before it runs.
    ("set_part", re.compile(r"\bset\s+(?:the\s+)?(?P<part>[a-z]+)\s+(?:of|on|for)\s+(?P<machine>.+?)\s+to\s+"
                            r"(?P<target>\d+)")),
    ("set_part", re.compile(r"\bset\s+(?:the\s+)?(?P<machine>.+?)\s+(?P<part>[a-z]+)\s+to\s+(?P<target>\d+)")),
    ("set_temperature", re.compile(r"\bcool down\s+(?:the\s+)?(?P<machine>.+?)\s*(?P<heater>bed|hotend|nozzle)?$")),
    ("pause_job", re.compile(r"\b(?:pause|hold)\s+(?:the\s+)?(?:(?:job|print|cut)\b)?\s*(?:on\s+)?(?P<machine>.+)$")),
    ("resume_job", re.compile(r"\b(?:resume|continue|unpause)\s+(?:the\s+)?(?:(?:job|print|cut)\b)?\s*(?:on\s+)?"
                              r"(?P<machine>.+)$")),
    ("cancel_job", re.compile(r"\b(?:cancel|abort|stop)\s+(?:the\s+)?(?:(?:job|print|cut)\b)?\s*(?:on\s+)?"
                              r"(?P<machine>.+)$")),
    ("home", re.compile(r"\bhome\s+(?:all\s+axes\s+(?:on|of)\s+)?(?:the\s+)?(?P<machine>.+)$")),
    ("machine_status", re.compile(r"^(?:is|are)\s+(?:the\s+)?(?P<machine>.+?)\s+doing$")),
    ("machine_status", re.compile(r"\b(?:status of|how is|what is|how s|what s)\s+(?:the\s+)?(?P<machine>.+?)"
                                  r"(?:\s+doing|\s+status)?$")),
]


# What "set the … of <machine> to N" may set, for a part word the speech model got wrong.
PARTS = {"bed": ("set_temperature", "bed"), "nozzle": ("set_temperature", "hotend"),
         "hotend": ("set_temperature", "hotend"), "extruder": ("set_temperature", "hotend"), "fan": ("fan", None)}
PART_HEARD = 0.6  # a part word must sound at least this much like one of PARTS


def _part(word: str) -> tuple[str | None, str | None, float]:
    """(intent, heater, score) for a misheard part word ("led" → the bed), by spelling and sound."""
    scored = []
    for known, (name, heater) in PARTS.items():
        spelled = difflib.SequenceMatcher(None, word, known).ratio()
        sounds = difflib.SequenceMatcher(None, sound_key(word), sound_key(known)).ratio()
        scored.append((max(spelled, sounds), name, heater))
    scored.sort(key=lambda item: -item[0])
    score, name, heater = scored[0]
    if score < PART_HEARD or scored[1][0] == score:
        return None, None, 0.0
    return name, heater, score


def _switch_target(intent: Intent, target: str, names: Names) -> Intent:
    """"laser room lights", "lights in the print room", "everything in the laser room"."""
    kind = re.search(KIND_WORDS, target)
    if kind:
        intent.slots["kind"] = KINDS[kind.group(0)]
        target = (target[:kind.start()] + " " + target[kind.end():]).strip()
    target = re.sub(r"\b(?:in|of|at)\s+(?:the\s+)?", " ", target)
    target = re.sub(r"\b(?:everything|all)\b", " ", target).strip()
    if not kind:
        intent.slots["kind"] = "all"
    return _named(intent, "room", target or "?", names.rooms)


def parse(text: str, names: Names, now: datetime) -> Intent:
    """The intent of one command; ``now`` (aware, in the speaker's zone) anchors "tomorrow" and "at 3".

    When nothing matches, the first word is taken as a misheard command word and compared with
    the verbs we know; a command understood that way is never clear, so it asks first.
    """
    intent = _parse(normalize(text), names, now)
    if intent.name != "unknown":
        return intent
    words = intent.heard.split()
    guess = _verb(words[0]) if words else None
    if guess and guess != words[0]:
        retry = _parse(" ".join([guess, *words[1:]]), names, now)
        if retry.name != "unknown":
            retry.score = min(retry.score, SURE - 0.01)
            retry.heard = intent.heard
            return retry
    return intent


def _verb(word: str) -> str | None:
    """The command verb a misheard first word stands for, by spelling ("paws") or by sound ("curl" → "cool")."""
    spelled = difflib.get_close_matches(word, VERBS, n=1, cutoff=0.6)
    if spelled:
        return spelled[0]
    key = sound_key(word)
    by_sound = [(difflib.SequenceMatcher(None, key, sound_key(verb)).ratio(), verb) for verb in VERBS]
    score, verb = max(by_sound)
    return verb if score >= 0.8 and len(key) >= 2 else None


def rank(intent: Intent) -> tuple:
    """How good a reading's command is, best first: known, nothing missing, names sure, then the name score."""
    return (intent.name != "unknown", not intent.missing, intent.score >= SURE, intent.score)


def parse_best(readings: list[str], names: Names, now: datetime) -> Intent:
    """The command in the best of several readings of one clip (the speech model's n-best, most likely first).

    A reading that makes a whole, sure command wins over a likelier one that does not
    ("resume printer too" loses to "resume Printer 2"); among equals the likelier reading wins.
    """
    best = None
    for reading in readings:
        intent = parse(reading, names, now)
        if best is None or rank(intent) > rank(best):
            best = intent
        if best.clear:
            break
    return best if best is not None else parse("", names, now)


def _parse(heard: str, names: Names, now: datetime) -> Intent:
    for name, pattern in PATTERNS:
        match = pattern.search(heard)
        if not match:
            continue
        intent = Intent(name, heard=heard)
        groups = {key: value for key, value in match.groupdict().items() if value is not None}
        if name == "emergency_stop":
            if groups.get("machine", "").strip():
                _named(intent, "machine", groups["machine"], names.machines)
            return intent
        if name == "stock":
            return _named(intent, "material", groups["material"], names.materials)
        if name == "book":
            rest = groups["rest"]
            _named(intent, "device", device_phrase(rest) or "?", names.devices)
            start, end, missing = parse_span(rest, now)
            intent.missing += missing
            if start:
                intent.slots["start"] = start
            if end:
                intent.slots["end"] = end
            return intent
        if name == "dim" and KINDS[re.search(KIND_WORDS, groups["target"]).group(0)] != "light":
            continue  # only lights dim: "set the print room fans to 50" is not a dimming of the lights
        if name in ("switch", "dim"):
            if name == "switch":
                intent.slots["on"] = groups["state"] == "on"
            else:
                intent.slots["level"] = min(int(groups["level"]), 100)
            return _switch_target(intent, groups["target"], names)
        if name == "set_part":
            part, heater, score = _part(groups["part"])
            if part is None:
                continue
            intent.name, intent.score = part, min(score, SURE - 0.01)
            if heater:
                intent.slots["heater"] = heater
                intent.slots["target"] = int(groups["target"])
            else:
                intent.slots["speed"] = min(int(groups["target"]), 100)
            return _named(intent, "machine", groups["machine"], names.machines)
        _named(intent, "machine", groups["machine"], names.machines)
        if name == "set_temperature":
            intent.slots["heater"] = HEATERS.get(groups.get("heater") or "hotend", "hotend")
            intent.slots["target"] = int(groups.get("target") or 0)
        if name == "fan":
            intent.slots["speed"] = min(int(groups["speed"]), 100)
        return intent
    return Intent("unknown", heard=heard, score=0.0, missing=["a command I know (see the list on the page)"])
