"""Voice commands: intent accuracy and latency on the evaluation set (workshop/voice/evaluation.json).

Text: every command parsed as written. Speech: each command spoken by espeak-ng (rendered now,
never stored), heard by the offline model the way the service hears a clip (its n best readings,
the split's lab names and the command words as hot words, ``workshop.voice.hearing``), and the best
reading parsed (``parser.parse_best``). A command counts for "intent" when its intent is right and
for "intent+slots" when every slot is right too. Both splits are printed: ``main`` (the set the
hearing and the parser were tuned on) and ``held_out`` (another lab's names and sentences, only
measured). Latency is per command, from the audio file to the intent, on this machine.

Usage: python bench/bench_voice.py [--limit N] [--split main|held_out|both]
       (N spoken commands per split; the text sets are always whole)
"""
import argparse
import logging
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


def text_split(split: str) -> None:
    from workshop.voice.evaluation import accuracy, load
    from workshop.voice.parser import parse

    now, names, commands = load(split)
    started = time.perf_counter()
    score, misses = accuracy(lambda text: parse(text, names, now), commands, now)
    per_command_ms = (time.perf_counter() - started) / len(commands) * 1000
    print(f"text   {split}: {len(commands)} commands, intent+slots accuracy {score:.3f}, "
          f"parse {per_command_ms:.2f} ms each")
    for text, expected, got in misses:
        print(f"  miss: {text!r} expected {expected} got {got}")


def spoken_split(split: str, limit: int) -> list[float]:
    from workshop.services.voice import vocabulary
    from workshop.voice.evaluation import comparable, load
    from workshop.voice.hearing import readings
    from workshop.voice.parser import parse_best

    now, names, commands = load(split)
    spoken = commands[:limit]
    right, intents_right, latencies = 0, 0, []
    with tempfile.TemporaryDirectory() as folder:
        for text, name, slots in spoken:
            clip = speak(text, Path(folder))
            t0 = time.perf_counter()
            heard = readings(str(clip), vocabulary(names))
            intent = parse_best(heard, names, now)
            latencies.append(time.perf_counter() - t0)
            got = comparable(intent, now)
            right += got == (name, slots)
            intents_right += got[0] == name
            if got != (name, slots):
                print(f"  miss: said {text!r}, took {intent.heard!r} of {heard[:3]}, got {got}")
    print(f"speech {split}: {len(spoken)} commands, intent accuracy {intents_right / len(spoken):.3f}, "
          f"intent+slots accuracy {right / len(spoken):.3f}")
    return latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=12, help="spoken commands to render and transcribe, per split")
    parser.add_argument("--split", choices=["main", "held_out", "both"], default="both")
    args = parser.parse_args()
    import django

    django.setup()
    logging.getLogger("faster_whisper").setLevel(logging.WARNING)
    from core.ai.whisper import load_model

    splits = ["main", "held_out"] if args.split == "both" else [args.split]
    for split in splits:
        text_split(split)
    t0 = time.perf_counter()
    load_model()
    print(f"speech: model loaded in {time.perf_counter() - t0:.2f} s")
    latencies = []
    for split in splits:
        latencies += spoken_split(split, args.limit)
    latencies.sort()
    print(f"speech: latency audio→intent median {statistics.median(latencies):.2f} s, "
          f"p90 {latencies[int(0.9 * (len(latencies) - 1))]:.2f} s, max {latencies[-1]:.2f} s "
          f"({len(latencies)} clips, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
