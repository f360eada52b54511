"""Meetings: transcription and analysis figures on the scripted evaluation set (bench/meetings_eval).

Each scripted meeting is spoken by espeak-ng (rendered now, never stored), transcribed by the
offline transcriber with the meeting's own words (and by bare faster-whisper tiny.en for
comparison), then analyzed by the offline rules. Prints per meeting and in total: WER, RTF,
action-item precision / recall / F1 (owner equal and most content words present), due dates
right, decision recall and summary keyword coverage, plus the same analysis on the exact script.

Usage: python bench/bench_meetings.py [--limit N] [--no-bare] [--threads 2]
"""
import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _items(analysis) -> list[dict]:
    return [{"owner": i.owner, "task": i.task, "due": i.due.isoformat() if i.due else None} for i in analysis.items]


def _prf(tp: int, found: int, expected: int) -> tuple[float, float, float]:
    precision = tp / found if found else 0.0
    recall = tp / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(meeting: dict, analysis) -> dict:
    from bench.meetings_eval.scoring import covers, keyword_coverage, match_items

    expected = meeting["expected"]
    found = _items(analysis)
    tp, dues = match_items(expected["items"], found)
    decided = sum(any(covers(d, f) for f in analysis.decisions) for d in expected["decisions"])
    keywords, of = keyword_coverage(expected["keywords"], analysis.summary)
    return {"tp": tp, "found": len(found), "expected": len(expected["items"]), "dues": dues,
            "decided": decided, "decisions": len(expected["decisions"]), "keywords": keywords, "of": of}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N meetings")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare faster-whisper comparison")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="print transcripts and items")
    args = parser.parse_args()

    import django

    django.setup()
    from bench.meetings_eval import load
    from bench.meetings_eval.scoring import speak, word_errors
    from core.ai import MeetingContext, Segment
    from core.ai.rules import RulesAnalyzer
    from core.ai.whisper import WhisperTranscriber, load_model

    meetings = load()[: args.limit or None]
    model = load_model(threads=args.threads)
    ours = WhisperTranscriber()
    analyzer = RulesAnalyzer()
    totals = {key: 0 for key in ("tp", "found", "expected", "dues", "decided", "decisions", "keywords", "of")}
    script_totals = dict(totals)
    errors = words = bare_errors = 0
    audio_seconds = ours_seconds = bare_seconds = 0.0
    print(f"{'meeting':28} {'WER':>6} {'bare':>6} {'RTF':>6} {'bare':>6}  items tp/found/exp  dec  kw")
    with tempfile.TemporaryDirectory() as folder:
        for meeting in meetings:
            script = " ".join(meeting["lines"])
            path = speak(script, Path(folder) / f"{meeting['id']}.wav")
            context = MeetingContext(held_on=date.fromisoformat(meeting["held_on"]), attendees=meeting["attendees"],
                                     agenda=meeting["agenda"], vocabulary=meeting["vocabulary"])
            began = time.perf_counter()
            transcript = ours.transcribe(str(path), context)
            spent = time.perf_counter() - began
            audio_seconds += transcript.duration
            ours_seconds += spent
            e, n = word_errors(script, transcript.text)
            errors, words = errors + e, words + n
            bare_wer = bare_rtf = float("nan")
            if not args.no_bare:
                began = time.perf_counter()
                pieces, _ = model.transcribe(str(path), language="en", beam_size=5)
                bare_text = " ".join(p.text.strip() for p in pieces)
                bare_spent = time.perf_counter() - began
                bare_seconds += bare_spent
                be, _ = word_errors(script, bare_text)
                bare_errors += be
                bare_wer, bare_rtf = be / n, bare_spent / transcript.duration
            result = score(meeting, analyzer.analyze(transcript.segments, context))
            exact = score(meeting, analyzer.analyze([Segment(0.0, 0.0, script)], context))
            for key in totals:
                totals[key] += result[key]
                script_totals[key] += exact[key]
            print(f"{meeting['id']:28} {e / n:6.3f} {bare_wer:6.3f} {spent / transcript.duration:6.3f} "
                  f"{bare_rtf:6.3f}  {result['tp']:>2}/{result['found']:>2}/{result['expected']:>2}"
                  f"          {result['decided']}/{result['decisions']}  {result['keywords']}/{result['of']}")
            if args.verbose:
                print("   ", transcript.text)
                for item in _items(analyzer.analyze(transcript.segments, context)):
                    print("    -", item)
    print()
    print(f"audio {audio_seconds:.1f} s in {len(meetings)} meetings, {words} words")
    print(f"WER ours {errors / words:.3f}" + ("" if args.no_bare else f"   bare tiny.en {bare_errors / words:.3f}"))
    print(f"RTF ours {ours_seconds / audio_seconds:.3f}" + (
        "" if args.no_bare else f"   bare {bare_seconds / audio_seconds:.3f}   overhead "
                                f"{ours_seconds / bare_seconds:.2f}x"))
    for label, t in (("from speech", totals), ("from the exact script", script_totals)):
        precision, recall, f1 = _prf(t["tp"], t["found"], t["expected"])
        print(f"action items {label}: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f} "
              f"(due right {t['dues']}/{t['tp']}); decision recall {t['decided'] / t['decisions']:.3f}; "
              f"summary keyword coverage {t['keywords'] / t['of']:.3f}")


if __name__ == "__main__":
    main()
