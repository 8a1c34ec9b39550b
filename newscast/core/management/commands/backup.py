"""`newscast backup FILE`: the database and the media in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newscast.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write the whole station - the database (PostgreSQL through pg_dump, SQLite through its "
        "online backup) and the uploaded media - to one .tar.gz archive, while the site runs. "
        "Restore it with `newscast restore FILE`. Exits 1 when the backup fails; no partial "
        "archive is left then."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The archive to write, e.g. newscast.tar.gz.")

    def handle(self, *args, file: Path, **options):
        if file.exists():
            raise CommandError(f"{file} exists; choose a new name (backups are never overwritten).")
        if not file.parent.is_dir():
            raise CommandError(f"No folder {file.parent} to write the backup in.")
        try:
            manifest = backup_write(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Backed up {manifest.summary()} to {file}."))
