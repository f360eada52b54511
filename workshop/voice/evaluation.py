"""The evaluation set of spoken commands: each text with the intent and slots it must give.

Two splits, each with a lab of its own names (near names among them: "Printer 1" and "Printer 2",
"Laser cutter" and "Laser room"): ``main``, the set the parser and the hearing were tuned on, and
``held_out``, written before that tuning and only measured, to show the tuning did not fit
the first set's sentences.
"""
import json
from datetime import datetime
from pathlib import Path

from .parser import Intent, Names

SET = Path(__file__).with_name("evaluation.json")


SPLITS = ("main", "held_out")


def load(split: str = "main") -> tuple[datetime, Names, list[tuple[str, str, dict]]]:
    """(the moment the set is spoken at, the split's lab names, [(text, intent, slots)])."""
    data = json.loads(SET.read_text())
    part = data if split == "main" else data[split]
    return datetime.fromisoformat(data["now"]), Names(**part["names"]), [tuple(row) for row in part["commands"]]


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
