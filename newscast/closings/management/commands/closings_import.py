"""`newscast closings import organizations|statuses FILE.csv`: load a CSV list.

Good rows are kept; each refused row is printed with its line and reason, and the command
exits 1 when any row was refused (so a script or cron job notices). Columns:
organizations - name, county, state, kind, contact, code, pin, needs_approval;
statuses - code, date, status, delay_minutes, note.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newscast.closings import imports
from newscast.core.selectors import covered_state_codes_for


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["organizations", "statuses"])
        parser.add_argument("path", type=Path)

    def handle(self, *args, what, path, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            if what == "organizations":
                covered = covered_state_codes_for()
                report = imports.organizations_import(data, covered)
            else:
                report = imports.statuses_import(data)
        except imports.ImportRefused as exc:
            raise CommandError(f"{path}: {exc} Nothing changed.") from exc
        for line, reason in report.errors:
            self.stderr.write(f"{path}:{line}: {reason}")
        if report.errors:
            raise CommandError(f"{path}: {report.summary()} Good rows were kept.")
        self.stdout.write(self.style.SUCCESS(f"{path}: {report.summary()}"))
