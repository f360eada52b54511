"""Providers for any OpenAI-compatible API: ``/audio/transcriptions`` and ``/chat/completions``.

Chosen with ``TRANSCRIBE_PROVIDER=openai`` / ``ANALYZE_PROVIDER=openai``; ``AI_API_BASE_URL`` and
``AI_API_KEY`` say where and as whom (a local server such as vLLM or LocalAI works as well as
a hosted one). Analysis asks for JSON that follows a schema and checks what comes back.
"""
import json
from datetime import date
from pathlib import Path

import httpx
from django.conf import settings

from .base import AIError, Analysis, MeetingContext, Progress, ProposedItem, Segment, Transcript
from .vocabulary import prompt_for

ANALYSIS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["summary", "decisions", "action_items"],
    "properties": {
        "summary": {"type": "string"},
        "decisions": {"type": "array", "items": {"type": "string"}},
        "action_items": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["owner", "task", "due", "confidence", "start"],
            "properties": {
                "owner": {"type": ["string", "null"]},
                "task": {"type": "string"},
                "due": {"type": ["string", "null"], "description": "YYYY-MM-DD"},
                "confidence": {"type": "number"},
                "start": {"type": ["number", "null"], "description": "seconds into the meeting"},
            },
        }},
    },
}
INSTRUCTIONS = (
    "You write meeting minutes. From the transcript, give a short summary, the decisions taken, and the action "
    "items. An action item has an owner who is one of the attendees, a task in a short imperative form, a due "
    "date as YYYY-MM-DD relative to the meeting date or null, a confidence between 0 and 1, and the start time "
    "in seconds of the line it came from. Leave out things already done, opinions, hypotheticals, questions, "
    "tasks with no owner, and offers that were declined."
)


class _Client:
    def __init__(self, base_url: str, api_key: str, timeout: float):
        if not base_url:
            raise AIError("Set AI_API_BASE_URL to the OpenAI-compatible server to use.")
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout = timeout

    def post(self, path: str, **kwargs) -> dict:
        try:
            response = httpx.post(f"{self.base_url}{path}", headers=self.headers, timeout=self.timeout, **kwargs)
        except httpx.HTTPError as exc:
            raise AIError(f"The AI service at {self.base_url} did not answer: {exc}") from exc
        if response.status_code >= 400:
            raise AIError(f"The AI service answered {response.status_code}: {response.text[:300]}")
        try:
            return response.json()
        except ValueError as exc:
            raise AIError("The AI service answered with something that is not JSON.") from exc


def _client() -> _Client:
    return _Client(settings.AI_API_BASE_URL, settings.AI_API_KEY, settings.AI_TIMEOUT_SECONDS)


class OpenAITranscriber:
    """Transcription through ``POST /audio/transcriptions`` (verbose JSON with segments)."""

    name = "openai"

    def __init__(self, client: _Client, model: str):
        self.client, self.model = client, model

    @classmethod
    def from_settings(cls) -> "OpenAITranscriber":
        return cls(_client(), settings.TRANSCRIBE_OPENAI_MODEL)

    def transcribe(self, path: str, context: MeetingContext, on_progress: Progress | None = None) -> Transcript:
        """Send the file; the API does the work in one go, so progress jumps from 0 to 1."""
        with open(path, "rb") as audio:
            body = self.client.post("/audio/transcriptions", files={"file": (Path(path).name, audio)}, data={
                "model": self.model, "response_format": "verbose_json", "language": "en",
                "prompt": prompt_for(context)})
        try:
            segments = [Segment(start=float(s["start"]), end=float(s["end"]), text=str(s["text"]).strip())
                        for s in body.get("segments") or []]
            if not segments and body.get("text"):
                segments = [Segment(start=0.0, end=float(body.get("duration") or 0), text=body["text"].strip())]
            duration = float(body.get("duration") or (segments[-1].end if segments else 0.0))
        except (KeyError, TypeError, ValueError) as exc:
            raise AIError(f"The transcription answer lacks segments with start, end and text: {exc}") from exc
        if on_progress:
            on_progress(1.0)
        return Transcript(segments=segments, duration=duration, language=body.get("language") or "en")


class OpenAIAnalyzer:
    """Analysis through ``POST /chat/completions`` with a JSON schema for the answer."""

    name = "openai"

    def __init__(self, client: _Client, model: str):
        self.client, self.model = client, model

    @classmethod
    def from_settings(cls) -> "OpenAIAnalyzer":
        return cls(_client(), settings.ANALYZE_OPENAI_MODEL)

    def analyze(self, segments: list[Segment], context: MeetingContext) -> Analysis:
        """Ask the model for minutes and check the answer against the schema's shape."""
        lines = "\n".join(f"[{s.start:.1f}] {s.speaker + ': ' if s.speaker else ''}{s.text}" for s in segments)
        question = (f"Meeting date: {context.held_on.isoformat()}\nAttendees: {', '.join(context.attendees)}\n"
                    f"Agenda: {context.agenda}\n\nTranscript:\n{lines}")
        body = self.client.post("/chat/completions", json={
            "model": self.model,
            "messages": [{"role": "system", "content": INSTRUCTIONS}, {"role": "user", "content": question}],
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": "minutes", "strict": True, "schema": ANALYSIS_SCHEMA}},
        })
        try:
            answer = json.loads(body["choices"][0]["message"]["content"])
            items = [_item(raw, context) for raw in answer["action_items"]]
            return Analysis(summary=str(answer["summary"]), decisions=[str(d) for d in answer["decisions"]],
                            items=items)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise AIError(f"The analysis answer does not follow the minutes schema: {exc}") from exc


def _item(raw: dict, context: MeetingContext) -> ProposedItem:
    due = date.fromisoformat(raw["due"]) if raw.get("due") else None
    owner = raw.get("owner") or None
    confidence = min(max(float(raw.get("confidence", 0.5)), 0.0), 1.0)
    start = float(raw["start"]) if raw.get("start") is not None else None
    return ProposedItem(task=str(raw["task"]).strip(), owner=owner, due=due, confidence=confidence, start=start)
