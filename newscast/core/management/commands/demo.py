"""`newscast demo`: migrate, load the sample station if empty, serve it with the jobs worker."""

import importlib
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from config.env import DATA_DIR

# Each desk's demo module has `load(stdout)`, which fills its part of the demo only when empty.
DEMO_LOADERS = [
    "newscast.home.demo",  # the station: name, covered states, weather cities
    "newscast.news.demo",  # home page, sections, sample stories
    "newscast.wire.demo",  # a sample feed served by the demo itself
    "newscast.datadesk.demo",  # the coronavirus dataset with sample data
    "newscast.weather.demo",  # recorded NWS answers for the four cities, as sample data
    "newscast.closings.demo",  # fictional organizations in the demo counties (no statuses)
]


class Command(BaseCommand):
    help = (
        "Serve the demo station on http://127.0.0.1:PORT with sample content and the jobs worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up and load the sample station, then exit."
        )

    def handle(self, *args, port, host, no_serve, **options):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        if "WAGTAILADMIN_BASE_URL" not in os.environ:
            # The demo's own address: admin links, and the sample wire feeds it serves itself.
            os.environ["WAGTAILADMIN_BASE_URL"] = f"http://{host}:{port}"
            settings.WAGTAILADMIN_BASE_URL = os.environ["WAGTAILADMIN_BASE_URL"]
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        for module in DEMO_LOADERS:
            importlib.import_module(module).load(self.stdout)
        call_command("demo_admin", stdout=self.stdout)
        if no_serve:
            return
        worker = self._start_worker()
        # A SIGTERM (from a supervisor or `timeout`) must also stop the worker we started.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        self.stdout.write(
            self.style.SUCCESS(f"Demo station on http://{host}:{port}/ (admin: /admin/)")
        )
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def _start_worker(self) -> subprocess.Popen:
        """The Huey consumer runs scheduled jobs (publishing, wire polls, weather, data)."""
        self.stdout.write("Starting the jobs worker (Huey consumer).")
        return subprocess.Popen(
            [sys.executable, "-m", "newscast.cli", "worker"],
            env=os.environ.copy(),
        )
