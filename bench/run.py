"""Run every benchmark (``bench/bench_*.py``) one after another and print their figures.

Usage: ``python bench/run.py [name ...]`` (names without ``bench_`` and ``.py``).
Needs the local PostgreSQL (``BENCH_DATABASE_URL``); see README.md.
"""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    failed = 0
    for script in scripts:
        print(f"# {script.stem}", flush=True)
        failed += subprocess.call([sys.executable, str(script)], cwd=HERE.parent) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
