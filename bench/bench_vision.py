"""Cameras: snapshot capture rate per camera on the gateway's capture path, for a snapshot URL and an MJPEG stream.

A local HTTP server is the camera, serving 640×480 JPEGs of a moving bar, one per GET at
``/snapshot.jpg`` and as an MJPEG stream at ``/stream.mjpg``. Two figures per camera kind:
``capture`` called back to back (fetch, check, compare with the previous frame, store, the
first-layer and stall checks), then the gateway's own capture threads (``workshop.capture``)
watching both cameras of a printing job at once with no pause between snapshots. Last, the
job's timelapse is rendered (ffmpeg, else Pillow). Uses the database DATABASE_URL points at
(a throwaway SQLite file when unset); media goes to a temporary folder.

Usage: python bench/bench_vision.py [--snapshots 50] [--seconds 5]
"""
import argparse
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=50, help="snapshots per camera on the direct path")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long the capture threads run")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/vision.sqlite3")
    os.environ["MEDIA_ROOT"] = f"{folder}/media"
    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would bury the figures
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from equipment.models import Job, Machine
    from workshop.capture import CameraCapture
    from workshop.models import Camera, Snapshot
    from workshop.services.timelapse import render_timelapse
    from workshop.services.vision import capture
    from workshop.tests.camera_server import CameraServer, frame
    from workshop.tests.factories import running_job

    frames = [frame(shift, size=(640, 480)) for shift in range(0, 400, 8)]
    machine = Machine.objects.create(name=f"Bench printer {time.time_ns()}", kind="fdm_printer", driver="marlin",
                                     connection={"port": "/dev/null"})
    job = running_job(machine, None)
    with CameraServer(fps=30) as cam:
        stop = threading.Event()

        def move():  # the print head keeps moving: every frame differs from the one before
            n = 0
            while not stop.wait(1 / 30):
                n += 1
                cam.image = frames[n % len(frames)]

        mover = threading.Thread(target=move, daemon=True)
        mover.start()
        cameras = {"snapshot URL": Camera.objects.create(machine=machine, name="Top", snapshot_url=cam.url),
                   "MJPEG stream": Camera.objects.create(machine=machine, name="Side", mjpeg_url=cam.mjpeg_url)}
        for kind, camera in cameras.items():
            started = time.perf_counter()
            for _ in range(args.snapshots):
                capture(camera, job)
            seconds = time.perf_counter() - started
            print(f"vision: capture(), {kind} camera, 640×480 JPEG: {args.snapshots} snapshots in "
                  f"{seconds:.2f} s: {args.snapshots / seconds:.1f} per second "
                  f"({seconds / args.snapshots * 1000:.1f} ms each)")
        before = {kind: camera.snapshots.count() for kind, camera in cameras.items()}
        halt = threading.Event()
        lookout = CameraCapture(halt, every=0.001, look_every=0.05)
        lookout.start()
        time.sleep(args.seconds)
        halt.set()
        lookout.join(timeout=30)
        for kind, camera in cameras.items():
            taken = camera.snapshots.count() - before[kind]
            print(f"vision: gateway capture threads, both cameras at once, {kind}: {taken} snapshots in "
                  f"{args.seconds:.0f} s: {taken / args.seconds:.1f} per second")
        stop.set()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.COMPLETED)
    total = Snapshot.objects.filter(job=job).count()
    started = time.perf_counter()
    made = render_timelapse(job)
    seconds = time.perf_counter() - started
    print(f"vision: timelapse of {total} snapshots from {len(made)} cameras rendered with {made[0].renderer} "
          f"in {seconds:.2f} s")
    machine.delete()


if __name__ == "__main__":
    main()
