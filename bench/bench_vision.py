"""Cameras: snapshot capture rate per camera (fetch over HTTP, check, compare with the previous frame, store).

A local HTTP server is the camera, serving 640×480 JPEGs of a moving bar. Uses the database
DATABASE_URL points at (a throwaway SQLite file when unset); media goes to a temporary folder.

Usage: python bench/bench_vision.py [--snapshots 50]
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=50)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/vision.sqlite3")
    os.environ["MEDIA_ROOT"] = f"{folder}/media"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from equipment.models import Machine
    from workshop.models import Camera
    from workshop.services.vision import fetch_snapshot
    from workshop.tests.camera_server import CameraServer, frame

    frames = [frame(shift, size=(640, 480)) for shift in range(0, 400, 8)]
    machine = Machine.objects.create(name=f"Bench printer {time.time_ns()}", kind="fdm_printer", driver="marlin",
                                     connection={"port": "/dev/null"})
    with CameraServer() as cam:
        camera = Camera.objects.create(machine=machine, name="Top", snapshot_url=cam.url)
        started = time.perf_counter()
        for n in range(args.snapshots):
            cam.image = frames[n % len(frames)]
            fetch_snapshot(camera)
        seconds = time.perf_counter() - started
    print(f"vision: {args.snapshots} snapshots of 640×480 JPEG from one camera in {seconds:.2f} s: "
          f"{args.snapshots / seconds:.1f} per second ({seconds / args.snapshots * 1000:.1f} ms each)")
    machine.delete()


if __name__ == "__main__":
    main()
