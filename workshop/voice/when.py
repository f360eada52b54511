"""Spoken times for bookings: "tomorrow at 3 pm for two hours", "on friday from 10 to 12", "today at 14:30".

Rules, not a date library: the phrases people use for a booking are few, and a wrong guess
must come back as "unclear" (then the command asks first) rather than a confident wrong date.
"""
import re
from datetime import datetime, time, timedelta

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
CLOCK = r"(?P<{n}h>\d{{1,2}})(?::(?P<{n}m>\d{{2}}))?(?:\s*(?P<{n}ap>am|pm))?|(?P<{n}noon>noon|midday)"
AT = re.compile(r"\b(?:at|from)\s+(?:" + CLOCK.format(n="a") + r")")
UNTIL = re.compile(r"\b(?:to|until|till)\s+(?:" + CLOCK.format(n="u") + r")")
FOR = re.compile(r"\bfor\s+(?:(?P<half>half an? hour)|an? hour(?: and a half)?|(?P<n>\d+(?:\.\d+)?)\s*"
                 r"(?P<unit>hours?|hrs?|minutes?|mins?)(?:\s+and\s+a\s+half)?)")
# Where the device's name ends in a booking phrase.
TIME_WORDS = re.compile(r"\b(?:today|tomorrow|tonight|day after tomorrow|next|this|on|at|from|for|until|"
                        + "|".join(DAYS) + r")\b")


def _clock(match, n: str, reference_pm: bool | None = None) -> time | None:
    if match.group(f"{n}noon"):
        return time(12, 0)
    hour, minute, ampm = int(match.group(f"{n}h")), int(match.group(f"{n}m") or 0), match.group(f"{n}ap")
    if hour > 23 or minute > 59:
        return None
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    elif ampm is None and (reference_pm or 1 <= hour <= 7):
        hour += 12  # "at 3" in a workshop means the afternoon
    return time(hour, minute)


def _day(text: str, now: datetime):
    if "day after tomorrow" in text:
        return now.date() + timedelta(days=2)
    if re.search(r"\btomorrow\b", text):
        return now.date() + timedelta(days=1)
    for index, name in enumerate(DAYS):
        if re.search(rf"\b{name}\b", text):
            ahead = (index - now.weekday()) % 7
            if ahead == 0 or re.search(rf"\bnext {name}\b", text):
                ahead = ahead or 7
            return now.date() + timedelta(days=ahead)
    return now.date()


def parse_span(text: str, now: datetime) -> tuple[datetime | None, datetime | None, list[str]]:
    """(start, end, what was missing) for an already normalized phrase; times in ``now``'s zone."""
    missing = []
    start_match = AT.search(text)
    if not start_match:
        return None, None, ["a start time (say 'at 3 pm')"]
    clock = _clock(start_match, "a")
    if clock is None:
        return None, None, ["a real time of day"]
    start = now.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
    start = start.replace(year=_day(text, now).year, month=_day(text, now).month, day=_day(text, now).day)
    end = None
    length = FOR.search(text)
    until = UNTIL.search(text[start_match.end():])
    if length:
        if length.group("half"):
            minutes = 30
        elif length.group("n"):
            number = float(length.group("n"))
            minutes = number * (60 if length.group("unit").startswith("h") else 1)
            minutes += 30 if length.group(0).endswith("and a half") else 0
        else:
            minutes = 90 if length.group(0).endswith("and a half") else 60
        end = start + timedelta(minutes=minutes)
    elif until:
        clock = _clock(until, "u", reference_pm=start.hour >= 12)
        if clock is not None:
            end = start.replace(hour=clock.hour, minute=clock.minute)
    if end is None or end <= start:
        missing.append("how long (say 'for two hours')")
        end = None
    return start, end, missing


def device_phrase(text: str) -> str:
    """The words naming the device: everything before the first time word."""
    match = TIME_WORDS.search(text)
    return (text[:match.start()] if match else text).strip()
