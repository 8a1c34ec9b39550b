"""`newscast demo`: migrate, load the sample station if empty, serve it with the jobs worker."""

import importlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from config.env import DATA_DIR
from newscast.core.management.commands.demo_admin import DEFAULT_DEMO_PASSWORD

# Each desk's demo module has `load(stdout)`, which fills its part of the demo only when empty.
DEMO_LOADERS = [
    "newscast.home.demo",  # the station: name, covered states, weather cities
    "newscast.home.demo_newsroom",  # home page, sections, sample stories, the front page
    "newscast.wire.demo",  # a sample feed served by the demo itself
    "newscast.datadesk.demo",  # the coronavirus dataset with sample data
    "newscast.weather.demo",  # recorded NWS answers for the four cities, as sample data
    "newscast.closings.demo",  # fictional organizations in the demo counties (no statuses)
]


# How long the welcome waits for runserver to answer before giving up quietly.
WELCOME_WAIT_SECONDS = 60


def admin_login() -> tuple[str, str]:
    """The demo admin's user name and, while it is still the demo's, its password."""
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None:
        return ("(no 'admin' user: log in with your own account)", "")
    password = os.environ.get("DEMO_ADMIN_PASSWORD", DEFAULT_DEMO_PASSWORD)
    return ("admin", password if admin.check_password(password) else "(the one you set)")


def welcome_text(base_url: str, login: tuple[str, str]) -> str:
    """The address, the admin login and the three things a newcomer should try first."""
    user, password = login
    return f"""
Newscast demo station: {base_url}/
  Admin: {base_url}/admin/   user: {user}   password: {password}

Three things to try first:
  1. Publish a story: Admin > Pages > Local > Add child page > Story. Publish, then reload
     {base_url}/ - it leads the latest stories at once.
  2. Play a tornado warning: in another terminal run `newscast weather drill alert`
     (then `update`, `cancel`, `clear`) and watch the banner on {base_url}/ and /weather/alerts/.
  3. Watch the wire: `newscast wire list` shows the sample feeds the worker polls every
     minute; their stories land in {base_url}/nation-world/ and in Admin > Wire desk > Queue.
"""


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

    def execute(self, *args, **options):
        # Before the system checks read the URL map: the demo serves the sample wire feeds
        # it polls (config/urls.py routes them only then).
        settings.NEWSCAST_WIRE_SAMPLES = True
        return super().execute(*args, **options)

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
        base_url = f"http://{host}:{port}"
        if no_serve:
            self.stdout.write(welcome_text(base_url, admin_login()))
            return
        worker = self._start_worker()
        # A SIGTERM (from a supervisor or `timeout`) must also stop the worker we started.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        self._welcome_when_up(host, port, welcome_text(base_url, admin_login()))
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def _welcome_when_up(self, host: str, port: int, text: str) -> None:
        """Print the welcome once the server answers, so the address printed already works."""

        def wait_then_print():
            deadline = time.monotonic() + WELCOME_WAIT_SECONDS
            while time.monotonic() < deadline:
                try:
                    socket.create_connection((host, port), timeout=1).close()
                except OSError:
                    time.sleep(0.2)
                    continue
                self.stdout.write(self.style.SUCCESS(text))
                return

        threading.Thread(target=wait_then_print, daemon=True, name="demo-welcome").start()

    def _start_worker(self) -> subprocess.Popen:
        """The Huey consumer runs scheduled jobs (publishing, wire polls, weather, data)."""
        self.stdout.write("Starting the jobs worker (Huey consumer).")
        return subprocess.Popen(
            [sys.executable, "-m", "newscast.cli", "worker"],
            env=os.environ.copy(),
        )
