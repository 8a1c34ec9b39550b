"""`newscast closings expire`: delete statuses whose date has ended (station time); the
history keeps every change. The worker runs this hourly (tasks.py)."""

from django.core.management.base import BaseCommand

from newscast.closings.services import statuses_expire


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        self.stdout.write(f"{statuses_expire()} ended statuses deleted (history kept).")
