"""What the operators' commands share: listings as aligned columns for people or `--json`
for scripts, a refused write told in the model's own words, and a busy database told in
one line (LockAwareCommand)."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError


def add_json_flag(parser) -> None:
    parser.add_argument(
        "--json", action="store_true", dest="as_json", help="Print JSON (a list of objects)."
    )


def rows_text(rows: list[dict], columns: list[str], empty: str) -> str:
    """The rows as aligned columns under a header line, or `empty` when there are none."""
    if not rows:
        return empty
    cells = [[str(row[column]) for column in columns] for row in rows]
    widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
    lines = [columns, *cells]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def rows_json(rows) -> str:
    """JSON with times in ISO 8601 (UTC shown as Z), as Django's encoder writes them."""
    return json.dumps(rows, indent=2, cls=DjangoJSONEncoder)


def validation_text(invalid) -> str:
    """A ValidationError as "url: Enter a valid URL.; slug: ..." - one part per field."""
    return "; ".join(
        f"{field}: {' '.join(messages)}" for field, messages in invalid.message_dict.items()
    )


def is_database_locked(exc: Exception) -> bool:
    """SQLite's "database is locked": another writer (the worker) held the file too long."""
    return isinstance(exc, OperationalError) and "locked" in str(exc).lower()


class LockAwareCommand(BaseCommand):
    """A command that, on SQLite's "database is locked", tries again a few times and then
    says so in one line and exits 1: never a raw traceback at the newsroom's terminal.
    `lock_retries` is 0 for commands that must not repeat their work (outside calls)."""

    lock_retries = 3
    lock_pause_seconds = 1.0

    def execute(self, *args, **options):
        for attempt in range(self.lock_retries + 1):
            try:
                return super().execute(*args, **options)
            except OperationalError as exc:
                if not is_database_locked(exc):
                    raise
                if attempt == self.lock_retries:
                    raise CommandError(
                        "The database is busy (locked by another process, such as the worker); "
                        "nothing was lost. Try again in a moment."
                    ) from exc
                time.sleep(self.lock_pause_seconds * (attempt + 1))
