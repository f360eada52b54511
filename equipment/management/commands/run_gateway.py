"""``manage.py run_gateway``: hold every machine connection until stopped.

``--web HOST:PORT`` also serves the site from the same process. That is how the embedded
mode runs it: its in-memory channel layer reaches only websockets of the same process,
so live telemetry needs the gateway and the web server side by side.
"""
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from equipment.gateway.runner import Gateway


class Command(BaseCommand):
    help = "Hold every enabled machine's connection: poll, stream telemetry, run queued commands and jobs."

    def add_arguments(self, parser):
        parser.add_argument("--poll", type=float, default=1.0, help="seconds between status polls per machine")
        parser.add_argument("--machine", type=int, action="append", help="hold only these machine ids")
        parser.add_argument("--web", metavar="HOST:PORT", help="also serve the site (embedded mode)")

    def handle(self, *args, **options):
        from equipment.gateway.mirror import Mirror
        from equipment.gateway.simulated import Simulators

        mirror = Mirror.start(settings.MQTT_URL) if settings.MQTT_URL else None
        gateway = Gateway(poll=options["poll"], machine_ids=options["machine"], simulators=Simulators(),
                          mirror=mirror)
        if options["web"]:
            thread = threading.Thread(target=gateway.run, daemon=True, name="gateway")
            thread.start()
            self._serve(options["web"])
            gateway.stop()
            thread.join(timeout=10)
            return
        signal.signal(signal.SIGTERM, lambda *_: gateway.stop())
        self.stdout.write("Gateway running; Ctrl-C stops it.")
        try:
            gateway.run()
        except KeyboardInterrupt:
            gateway.stop()
            gateway.shutdown()

    def _serve(self, address: str):
        import uvicorn

        host, _, port = address.rpartition(":")
        uvicorn.run("config.asgi:application", host=host or "127.0.0.1", port=int(port))
