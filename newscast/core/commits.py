"""Commits that need not wait for the disk: for many small transactions a later commit
makes durable anyway (a wire poll's stories, then the feed's status)."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection


@contextmanager
def commits_unflushed():
    """On PostgreSQL, let each commit inside return before its WAL reaches the disk.

    A wire poll commits each story on its own (a story is readable once filed) and then the
    feed's status: a thousand flushes of the log where one would do. PostgreSQL's
    synchronous_commit=off keeps every commit atomic and in order; a crash can only lose
    the last fraction of a second of them, never half of one, and the commit that follows
    the block (the feed's status, with the validators that let the next poll skip the
    feed) is flushed as usual and carries everything before it to the disk. So a crash loses
    at most stories that the next poll files again. Elsewhere (SQLite) it does nothing.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
