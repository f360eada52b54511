"""What transcribers and analyzers take and give back."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


class AIError(Exception):
    """A provider could not do its job (model missing, API down, unreadable answer); the message says why."""


@dataclass
class Segment:
    """A stretch of speech: start and end in seconds, the words, and who spoke when known."""

    start: float
    end: float
    text: str
    speaker: str = ""


@dataclass
class Transcript:
    """The segments of one recording, in order, with its length in seconds."""

    segments: list[Segment]
    duration: float
    language: str = "en"

    @property
    def text(self) -> str:
        return " ".join(segment.text.strip() for segment in self.segments if segment.text.strip())


@dataclass
class ProposedItem:
    """An action item as an analyzer proposes it, before a person accepts, edits or drops it."""

    task: str
    owner: str | None
    due: date | None
    confidence: float
    start: float | None = None
    source: str = ""


@dataclass
class Analysis:
    """What an analyzer found in a meeting."""

    summary: str
    decisions: list[str] = field(default_factory=list)
    items: list[ProposedItem] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


@dataclass
class MeetingContext:
    """What the meeting knows that helps: when it was, who was there, its agenda and the lab's words."""

    held_on: date
    attendees: list[str] = field(default_factory=list)
    agenda: str = ""
    vocabulary: list[str] = field(default_factory=list)


Progress = Callable[[float], None]


class Transcriber(Protocol):
    """Turns an audio file into timed segments."""

    name: str

    def transcribe(self, path: str, context: MeetingContext, on_progress: Progress | None = None) -> Transcript:
        """Transcribe ``path``; ``on_progress(fraction)`` is called as the work advances."""


class Analyzer(Protocol):
    """Finds the summary, decisions and action items in a transcript."""

    name: str

    def analyze(self, segments: list[Segment], context: MeetingContext) -> Analysis:
        """Analyze the meeting's segments."""
