"""Voice commands: intent accuracy and latency on the evaluation set (workshop/voice/evaluation.json).

Text: every command parsed as written. Speech: each command spoken by espeak-ng (rendered now,
never stored), transcribed by the offline transcriber with the lab's names as hot words, then
parsed; a command counts as right when intent and every slot match. Latency is per command,
from the audio file to the intent (transcription included), on this machine.

Usage: python bench/bench_voice.py [--limit N]   (N spoken commands; the text set is always whole)
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def speak(text: str, folder: Path) -> Path:
    raw, wav = folder / "raw.wav", folder / "clip.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(raw), text], check=True, capture_output=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(wav)], check=True, capture_output=True)
    return wav


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=12, help="spoken commands to render and transcribe")
    args = parser.parse_args()
    import django

    django.setup()
    from django.utils import timezone

    from core.ai import MeetingContext
    from core.ai.whisper import WhisperTranscriber, load_model
    from workshop.voice.evaluation import accuracy, comparable, load
    from workshop.voice.parser import COMMAND_WORDS, parse

    now, names, commands = load()
    started = time.perf_counter()
    score, misses = accuracy(lambda text: parse(text, names, now), commands, now)
    per_command_ms = (time.perf_counter() - started) / len(commands) * 1000
    print(f"text:   {len(commands)} commands, intent+slots accuracy {score:.3f}, parse {per_command_ms:.2f} ms each")
    for text, expected, got in misses:
        print(f"  miss: {text!r} expected {expected} got {got}")

    spoken = commands[: args.limit]
    transcriber = WhisperTranscriber.from_settings()
    t0 = time.perf_counter()
    load_model(transcriber.path)
    print(f"speech: model loaded in {time.perf_counter() - t0:.2f} s")
    context = MeetingContext(held_on=timezone.localdate(), vocabulary=names.all() + COMMAND_WORDS)
    right, intents_right, latencies = 0, 0, []
    with tempfile.TemporaryDirectory() as folder:
        for text, name, slots in spoken:
            clip = speak(text, Path(folder))
            t0 = time.perf_counter()
            heard = transcriber.transcribe(str(clip), context).text
            got = comparable(parse(heard, names, now), now)
            latencies.append(time.perf_counter() - t0)
            right += got == (name, slots)
            intents_right += got[0] == name
            if got != (name, slots):
                print(f"  miss: said {text!r}, heard {heard!r}, got {got}")
    latencies.sort()
    print(f"speech: {len(spoken)} commands, intent accuracy {intents_right / len(spoken):.3f}, "
          f"intent+slots accuracy {right / len(spoken):.3f}")
    print(f"speech: latency audio→intent median {statistics.median(latencies):.2f} s, "
          f"max {latencies[-1]:.2f} s")


if __name__ == "__main__":
    main()
