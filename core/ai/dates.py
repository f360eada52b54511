"""Due dates as people say them ("by Friday", "end of next week", "tomorrow"), made real dates.

Written as rules rather than with dateparser because the phrases that matter in minutes are
relative to the meeting's day, and "end of next week" must land on that week's Friday.
"""
import calendar
import re
from datetime import date, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "a": 1}

DAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
MONTH = r"(" + "|".join(MONTHS) + r")"
PHRASES = [
    ("end_next_week", re.compile(r"\b(?:the )?end of next week\b")),
    ("end_week", re.compile(r"\b(?:the )?end of (?:the|this) week\b")),
    ("end_next_month", re.compile(r"\b(?:the )?end of next month\b")),
    ("end_month", re.compile(r"\b(?:the )?end of (?:the|this) month\b")),
    ("after_tomorrow", re.compile(r"\bday after tomorrow\b")),
    ("tomorrow", re.compile(r"\btomorrow\b")),
    ("today", re.compile(r"\b(?:today|tonight|this afternoon|this evening|end of (?:the )?day)\b")),
    ("next_day", re.compile(r"\bnext " + DAY + r"\b")),
    ("this_day", re.compile(r"\b(?:by|on|before|until|this|for) " + DAY + r"\b")),
    ("month_day", re.compile(MONTH + r" (\d{1,2})(?:st|nd|rd|th)?\b")),
    ("day_month", re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)? of " + MONTH)),
    ("the_nth", re.compile(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b")),
    ("in_span", re.compile(r"\bin (\d+|one|two|three|four|five|six|seven|ten|a) (day|week|month)s?\b")),
    ("any_day", re.compile(r"\b" + DAY + r"\b")),
    ("next_week", re.compile(r"\b(?:by|before|until|for) next week\b|\bnext week\b")),
    ("this_week", re.compile(r"\bthis week\b")),
]
PATTERN = re.compile("|".join(f"(?:{regex.pattern})" for _, regex in PHRASES))
DUE_WORDS = re.compile(r"\s*,?\s*\b(?:by|my|before|until|on|for|no later than|at the latest by)?\s*(?:" +
                       PATTERN.pattern + r")", re.IGNORECASE)


def _friday(day: date, weeks_ahead: int = 0) -> date:
    return day + timedelta(days=(4 - day.weekday()) + 7 * weeks_ahead)


def _month_end(year: int, month: int) -> date:
    while month > 12:
        year, month = year + 1, month - 12
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_date(held_on: date, month: int, day: int) -> date | None:
    for year in (held_on.year, held_on.year + 1):
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        if found >= held_on:
            return found
    return None


def parse_due(text: str, held_on: date) -> date | None:
    """The first due date said in ``text``, relative to ``held_on``; None when no date is said."""
    low = text.lower()
    for kind, regex in PHRASES:
        match = regex.search(low)
        if not match:
            continue
        if kind == "end_next_week":
            return _friday(held_on, 1)
        if kind == "end_week" or kind == "this_week":
            friday = _friday(held_on)
            return friday if friday >= held_on else _friday(held_on, 1)
        if kind == "end_month":
            return _month_end(held_on.year, held_on.month)
        if kind == "end_next_month":
            return _month_end(held_on.year, held_on.month + 1)
        if kind == "after_tomorrow":
            return held_on + timedelta(days=2)
        if kind == "tomorrow":
            return held_on + timedelta(days=1)
        if kind == "today":
            return held_on
        if kind in ("next_day", "this_day", "any_day"):
            weekday = WEEKDAYS.index(match.group(1))
            ahead = (weekday - held_on.weekday()) % 7 or 7
            if kind == "next_day" and ahead < 7 and weekday >= held_on.weekday():
                ahead += 7  # "next Tuesday" said on a Monday is the Tuesday of next week
            return held_on + timedelta(days=ahead)
        if kind == "month_day":
            return _next_date(held_on, MONTHS[match.group(1)], int(match.group(2)))
        if kind == "day_month":
            return _next_date(held_on, MONTHS[match.group(2)], int(match.group(1)))
        if kind == "the_nth":
            day = int(match.group(1))
            month = held_on.month if day >= held_on.day else held_on.month + 1
            return _next_date(held_on, (month - 1) % 12 + 1, day)
        if kind == "in_span":
            count = NUMBERS.get(match.group(1)) or int(match.group(1))
            unit = {"day": 1, "week": 7, "month": 30}[match.group(2)]
            return held_on + timedelta(days=count * unit)
        if kind == "next_week":
            return held_on + timedelta(days=7 - held_on.weekday())
    return None


def strip_due(text: str) -> str:
    """``text`` without the due phrase ("order gloves by Friday" -> "order gloves")."""
    return DUE_WORDS.sub("", text).strip()
