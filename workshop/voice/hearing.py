"""Hearing a short spoken command: the speech model's several best readings, for the grammar to choose from.

A meeting is transcribed once, best reading only. A command is a few words from a small grammar
naming the lab's things, so the same offline model (``core.ai.whisper.load_model``, the meetings'
tiny.en or whatever ``TRANSCRIBE_MODEL_DIR`` names) is asked for the n best readings of its beam,
with the lab's names and the command words as hot words, and ``parser.parse_best`` takes the
likeliest reading that makes a whole command: tiny.en's first reading of "resume printer two" is
often "resume printer too", a later one "resume Printer 2".

With another transcription provider (``TRANSCRIBE_PROVIDER=openai``) there is one reading: its text.
"""
from django.conf import settings
from django.utils import timezone

from core.ai import AIError, MeetingContext, get_transcriber
from core.ai.vocabulary import hotwords_for

READINGS = 8  # beam width and readings kept: 8 found "Printer 2" where 5 did not, at ~1 s a clip on 2 cores
SECONDS = 30  # one window of the model; a longer clip is no command and goes through the meetings' path


def context_for(vocabulary: list[str]) -> MeetingContext:
    """The transcription context of a command: the lab's names and the command words."""
    return MeetingContext(held_on=timezone.localdate(), vocabulary=vocabulary)


def readings(path: str, vocabulary: list[str], count: int = READINGS) -> list[str]:
    """The readings of the clip at ``path``, likeliest first, without repeats; [] when nothing was said.

    Raises AIError when the file is not audio the decoder can read.
    """
    context = context_for(vocabulary)
    if settings.TRANSCRIBE_PROVIDER != "whisper":
        text = get_transcriber().transcribe(path, context).text.strip()
        return [text] if text else []
    # faster-whisper is imported here: it loads ctranslate2, which pages and tests without audio never need.
    import numpy as np
    from faster_whisper.audio import decode_audio
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.transcribe import get_suppressed_tokens

    from core.ai.whisper import load_model

    model = load_model(settings.TRANSCRIBE_MODEL_DIR or None)
    extractor = model.feature_extractor
    try:
        audio = decode_audio(path, sampling_rate=extractor.sampling_rate)
    except (RuntimeError, ValueError, OSError, IndexError) as exc:
        raise AIError(f"The audio could not be read: {exc}") from exc
    if len(audio) > SECONDS * extractor.sampling_rate:
        text = get_transcriber().transcribe(path, context).text.strip()
        return [text] if text else []
    features = extractor(audio)[:, :extractor.nb_max_frames]
    features = np.pad(features, ((0, 0), (0, extractor.nb_max_frames - features.shape[1])))
    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")
    prompt = model.get_prompt(tokenizer, [], without_timestamps=True, hotwords=hotwords_for(context) or None)
    try:
        result = model.model.generate(
            model.encode(features), [prompt], beam_size=count, num_hypotheses=count, max_length=model.max_length,
            return_no_speech_prob=True, suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, [-1]))[0]
    except (RuntimeError, ValueError) as exc:
        raise AIError(f"The audio could not be transcribed: {exc}") from exc
    if result.no_speech_prob > 0.8:
        return []
    seen, texts = set(), []
    for tokens in result.sequences_ids:
        text = tokenizer.decode(tokens).strip()
        key = " ".join(text.lower().split())
        if text and key not in seen:
            seen.add(key)
            texts.append(text)
    return texts
