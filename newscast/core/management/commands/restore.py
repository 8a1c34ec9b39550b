"""`newscast restore FILE`: bring a backup up on an empty install."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newscast.core.backup import BackupError, restore_read


class Command(BaseCommand):
    help = (
        "Restore an archive written by `newscast backup` onto an empty install of the same "
        "database engine (a new database, no user accounts yet), check every table's row count "
        "against the backup, then migrate. Exits 1 and writes nothing when the archive is not "
        "a readable backup, was taken on the other engine, or the install is in use."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The archive `newscast backup` wrote.")

    def handle(self, *args, file: Path, **options):
        try:
            manifest = restore_read(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {manifest.summary()} from {file}."))
