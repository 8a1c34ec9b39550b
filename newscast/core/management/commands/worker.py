"""`newscast worker`: the jobs worker (Huey consumer) with every desk's periodic jobs."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the scheduled-jobs worker (Huey consumer): publishing, wire, weather and data jobs."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, workers, **options):
        call_command("run_huey", workers=workers, worker_type="thread", periodic=True)
