"""``manage.py render_timelapse JOB [JOB ...]``: render ended jobs' snapshots into their timelapses."""
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from workshop.services.timelapse import RENDERERS, render_timelapse


class Command(BaseCommand):
    help = "Render each camera's snapshots of an ended job into a video (ffmpeg) or an animated GIF (Pillow)."

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="+", type=int, help="job ids")
        parser.add_argument("--renderer", choices=RENDERERS, default="ffmpeg",
                            help="ffmpeg (MP4, falls back to Pillow) or pillow (animated GIF)")

    def handle(self, *args, **options):
        failed = 0
        for job_id in options["jobs"]:
            try:
                made = render_timelapse(job_id, renderer=options["renderer"])
            except DomainError as exc:
                failed += 1
                self.stderr.write(f"job {job_id}: {exc.detail}")
                continue
            for timelapse in made:
                self.stdout.write(f"job {job_id}: {timelapse.camera.name}: {timelapse.frames} frames, "
                                  f"{timelapse.renderer}, {timelapse.video.name}")
        if failed:
            raise CommandError(f"{failed} of {len(options['jobs'])} jobs had no timelapse made.")
