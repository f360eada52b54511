"""The evaluation set of spoken commands: each text with the intent and slots it must give."""
import json
from datetime import datetime
from pathlib import Path

from .parser import Intent, Names

SET = Path(__file__).with_name("evaluation.json")


def load() -> tuple[datetime, Names, list[tuple[str, str, dict]]]:
    """(the moment the set is spoken at, the lab's names, [(text, intent, slots)])."""
    data = json.loads(SET.read_text())
    return datetime.fromisoformat(data["now"]), Names(**data["names"]), [tuple(row) for row in data["commands"]]


def comparable(intent: Intent, now: datetime) -> tuple[str, dict]:
    """An intent as the set writes it: a booking as day offset, start time and minutes."""
    slots = dict(intent.slots)
    if intent.name == "book":
        start, end = slots.pop("start", None), slots.pop("end", None)
        if start:
            slots["day"] = (start.date() - now.date()).days
            slots["at"] = start.strftime("%H:%M")
        if start and end:
            slots["minutes"] = round((end - start).total_seconds() / 60)
    return intent.name, slots


def accuracy(parse_text, commands, now) -> tuple[float, list]:
    """Share of commands whose intent and slots both come out exactly as expected; the misses."""
    misses = []
    for text, name, slots in commands:
        got = comparable(parse_text(text), now)
        if got != (name, slots):
            misses.append((text, (name, slots), got))
    return 1 - len(misses) / len(commands), misses
