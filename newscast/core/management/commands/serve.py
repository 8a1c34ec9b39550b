"""`newscast serve`: the production web process (gunicorn) on this machine."""

import os
import sys

from django.core.management.base import BaseCommand

from newscast.core.stack import GUNICORN_CONFIG


class Command(BaseCommand):
    help = "Serve the site with gunicorn (production web process; run `newscast worker` beside it)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, bind, workers, **options):
        # The deployment's own settings (preloaded and warmed before the workers fork, JSON
        # access log, worker recycling); the address and worker count are this command's.
        argv = [
            sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "config.wsgi:application",
            "--bind", bind, "--workers", str(workers),
        ]  # fmt: skip
        os.execv(sys.executable, argv)
