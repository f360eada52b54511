"""AI behind providers: transcription and meeting analysis.

Each job has an interface (``base.Transcriber``, ``base.Analyzer``), an offline default that
really works on a bare machine (faster-whisper with the packaged tiny.en model; rules plus an
extractive summary) and an OpenAI-compatible provider chosen by settings
(``TRANSCRIBE_PROVIDER=openai``, ``ANALYZE_PROVIDER=openai``). Nothing here knows about Django
models: callers hand in file paths, text and names, and get plain dataclasses back.
"""
from django.conf import settings

from .base import AIError, Analysis, Analyzer, MeetingContext, ProposedItem, Segment, Transcriber, Transcript

__all__ = ["AIError", "Analysis", "Analyzer", "MeetingContext", "ProposedItem", "Segment", "Transcriber", "Transcript",
           "get_analyzer", "get_transcriber"]


def get_transcriber() -> Transcriber:
    """The transcriber the settings choose: ``whisper`` (offline, default) or ``openai``."""
    name = settings.TRANSCRIBE_PROVIDER
    if name == "openai":
        from .openai_api import OpenAITranscriber

        return OpenAITranscriber.from_settings()
    if name == "whisper":
        from .whisper import WhisperTranscriber

        return WhisperTranscriber.from_settings()
    raise AIError(f"TRANSCRIBE_PROVIDER={name!r} is not a provider: use 'whisper' or 'openai'.")


def get_analyzer() -> Analyzer:
    """The analyzer the settings choose: ``rules`` (offline, default) or ``openai``."""
    name = settings.ANALYZE_PROVIDER
    if name == "openai":
        from .openai_api import OpenAIAnalyzer

        return OpenAIAnalyzer.from_settings()
    if name == "rules":
        from .rules import RulesAnalyzer

        return RulesAnalyzer()
    raise AIError(f"ANALYZE_PROVIDER={name!r} is not a provider: use 'rules' or 'openai'.")
