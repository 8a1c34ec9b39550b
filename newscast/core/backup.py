"""One archive holding the whole station: the database and the uploaded media.

    backup.tar.gz
      manifest.json       format, engine, when, and the row count of every table
      database.sqlite3    SQLite: a copy taken through SQLite's online backup API
      database.pgdump     PostgreSQL: pg_dump's custom format (pg_restore reads it)
      media/...           MEDIA_ROOT: images, documents, uploaded data files

Both copies are consistent while the site runs (SQLite's backup API and pg_dump each read
one snapshot). A restore goes onto an empty install of the same engine, checks every table's
row count against the manifest, then migrates, so an older backup comes up on newer code.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

FORMAT = "newscast-backup/1"
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that could not be done; `str()` says why and what to do."""


@dataclass
class Manifest:
    engine: str
    created_at: str
    row_counts: dict[str, int]
    media_files: int
    format: str = FORMAT

    def summary(self) -> str:
        rows = sum(self.row_counts.values())
        return (
            f"{rows:,} rows in {len(self.row_counts)} tables and {self.media_files:,} media "
            f"files ({self.engine}, taken {self.created_at})"
        )


def engine() -> str:
    """'sqlite' or 'postgresql': the only engines a Newscast install runs on."""
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups handle SQLite and PostgreSQL, not {vendor}.")
    return vendor


def row_counts() -> dict[str, int]:
    """Rows in every table the installed apps own, by table name."""
    existing = set(connection.introspection.table_names())
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table in existing:
            counts[table] = model._base_manager.using(connection.alias).count()
    return dict(sorted(counts.items()))


def backup_write(path: Path) -> Manifest:
    """Write the archive to `path`; a failure leaves no archive behind (nor a part of one)."""
    kind = engine()
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="newscast-backup-") as work:
        database = Path(work) / DATABASE_FILES[kind]
        counts = row_counts()
        _sqlite_copy(database) if kind == "sqlite" else _pg_dump(database)
        media_files = [f for f in media.rglob("*") if f.is_file()] if media.is_dir() else []
        manifest = Manifest(kind, timezone.now().isoformat(), counts, len(media_files))
        (Path(work) / MANIFEST).write_text(json.dumps(manifest.__dict__, indent=2))
        partial = path.with_name(path.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(Path(work) / MANIFEST, arcname=MANIFEST)
                archive.add(database, arcname=database.name)
                for file in media_files:
                    archive.add(file, arcname=f"media/{file.relative_to(media).as_posix()}")
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def restore_read(path: Path) -> Manifest:
    """Restore the archive at `path` onto this (empty) install; return what it held.

    Raises BackupError, before anything is written, when the archive is not a Newscast
    backup, was taken on the other engine, or this install already has user accounts.
    """
    kind = engine()
    with tempfile.TemporaryDirectory(prefix="newscast-restore-") as work:
        manifest = _archive_open(path, Path(work))
        if manifest.engine != kind:
            raise BackupError(
                f"{path} holds a {manifest.engine} database and this install runs on {kind}: "
                "restore onto the same engine (set DATABASE_URL)."
            )
        _require_empty_install()
        database = Path(work) / DATABASE_FILES[kind]
        _sqlite_load(database) if kind == "sqlite" else _pg_restore(database)
        _media_restore(Path(work) / "media")
    cache.clear()  # nothing cached from the empty install may outlive it
    _counts_check(manifest)
    call_command("migrate", interactive=False, verbosity=0)
    return manifest


def _archive_open(path: Path, work: Path) -> Manifest:
    try:
        with tarfile.open(path, "r:*") as archive:
            # "data": no absolute paths, no links or paths that leave the folder (PEP 706).
            archive.extractall(work, filter="data")
        fields = json.loads((work / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(
            f"{path}: no such file, or not a Newscast backup (no manifest)."
        ) from None
    except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is not a readable backup archive ({exc}).") from None
    if fields.get("format") != FORMAT:
        raise BackupError(f"{path} is not a {FORMAT} archive.")
    manifest = Manifest(**fields)
    if not (work / DATABASE_FILES.get(manifest.engine, "-")).is_file():
        raise BackupError(f"{path} is cut short: its database file is missing.")
    return manifest


def _require_empty_install() -> None:
    User = get_user_model()
    if User._meta.db_table not in connection.introspection.table_names():
        return
    users = User.objects.count()
    if users:
        raise BackupError(
            f"This install is not empty ({users} user account(s)); a restore would replace it. "
            "Restore onto a new database (createdb, set DATABASE_URL, run restore)."
        )


def _sqlite_copy(target: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


def _sqlite_load(source: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(source) as saved:
        saved.backup(connection.connection)
    saved.close()


def _pg_args() -> tuple[list[str], dict]:
    """Connection options for pg_dump / pg_restore, the password through the environment."""
    db = settings.DATABASES[connection.alias]
    name = connection.settings_dict["NAME"]
    args = ["--dbname", name]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


def _pg_dump(target: Path) -> None:
    args, env = _pg_args()
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            *args,
        ],
        env,
    )


def _pg_restore(source: Path) -> None:
    args, env = _pg_args()
    # Django keeps a connection open; pg_restore needs the tables free of its transactions.
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            *args,
            str(source),
        ],
        env,
    )


def _media_restore(saved: Path) -> None:
    if not saved.is_dir():
        return
    shutil.copytree(saved, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)


def _counts_check(manifest: Manifest) -> None:
    restored = row_counts()
    wrong = [
        f"{table}: {count} in the backup, {restored.get(table, 0)} restored"
        for table, count in manifest.row_counts.items()
        if restored.get(table, 0) != count
    ]
    if wrong:
        raise BackupError("The restored database differs from the backup: " + "; ".join(wrong))
