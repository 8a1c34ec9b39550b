"""Stage 3: compare a Batch with the stored rows and write what is new or changed.

Both sides are sorted by (county, date), so one merge pass finds the added, changed and
unchanged rows and each county's previous day, which is how a falling cumulative count
(the source's correction) is spotted and flagged. Writes take the bulk path of the
database: COPY in one transaction on PostgreSQL; on SQLite, upserts in short transactions
with a pause between them, because SQLite has one writer at a time and a load that held the
lock for a minute would make a wire import or an editor's save fail with "database is
locked" (docs/decisions/datadesk-strict-loads.md).
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice

from django.db import connection, transaction

from newscast.datadesk.models import CountyDay
from newscast.datadesk.pipeline.match import DAY_FACTOR, NO_DEATHS, Batch

# How far back to look for a county's previous stored day when a file starts mid-history.
LOOKBACK_DAYS = 14
KEPT_CORRECTIONS = 500
COPY_BLOCK_ROWS = 50_000
# SQLite: rows per write transaction (about a second on the 2-core machine; smaller steps
# cost more commits and checkpoints) and the pause after each, long enough for a writer
# waiting on the busy timeout (it retries every 100 ms) to get in.
SQLITE_STEP_ROWS = 100_000
SQLITE_PAUSE = 0.05
BIG_INSERT = 100_000  # rows; from here SQLite builds the state index afresh after the steps
STATE_INDEX = "datadesk_state_day"
DELETE_CHUNK = 500
NULL = "\\N"  # COPY's text format for a missing value
COLUMNS = "dataset_id, county_id, state_id, date, confirmed, deaths, revised_down"


@dataclass
class Changes:
    """What a batch changes: which batch rows to insert, which stored rows they replace."""

    insert: array = field(default_factory=lambda: array("i"))  # batch indexes (< 2**23)
    flags: bytearray = field(default_factory=bytearray)  # revised_down, per insert
    replace_ids: array = field(default_factory=lambda: array("q"))
    unchanged: int = 0
    revised_down: int = 0
    corrections: list[dict] = field(default_factory=list)

    @property
    def added(self) -> int:
        return len(self.insert) - len(self.replace_ids)

    @property
    def changed(self) -> int:
        return len(self.replace_ids)


def stored_rows(dataset_id: int, first: date, last: date) -> Iterator[tuple]:
    """(key, id, confirmed, deaths, revised_down) of stored rows in the dates, sorted by key.

    A raw cursor read in batches: the ORM's per-row model machinery costs more than the
    comparison itself when a full history (millions of rows) is loaded again.
    """
    ordinals: dict = {}
    with stored_cursor() as cursor:
        cursor.execute(
            "SELECT county_id, date, id, confirmed, deaths, revised_down "
            f"FROM {CountyDay._meta.db_table} WHERE dataset_id = %s AND date >= %s "
            "AND date <= %s ORDER BY county_id, date",
            [dataset_id, first.isoformat(), last.isoformat()],
        )
        while batch := cursor.fetchmany(20_000):
            for county_id, day, row_id, confirmed, deaths, revised_down in batch:
                ordinal = ordinals.get(day)
                if ordinal is None:
                    # SQLite returns the date as text, PostgreSQL as a date.
                    when = date.fromisoformat(day) if isinstance(day, str) else day
                    ordinal = ordinals[day] = when.toordinal()
                yield (
                    county_id * DAY_FACTOR + ordinal,
                    row_id,
                    confirmed,
                    NO_DEATHS if deaths is None else deaths,
                    bool(revised_down),
                )


@contextmanager
def stored_cursor():
    """A cursor that streams: server-side on PostgreSQL (psycopg's default cursor would hold
    every stored row in memory at once); SQLite's cursors already step through results."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.cursor(name="datadesk_stored_rows") as cursor:
            yield cursor
    else:
        with connection.cursor() as cursor:
            yield cursor


def fell(previous: tuple[int, int] | None, confirmed: int, deaths: int) -> bool:
    if previous is None:
        return False
    return confirmed < previous[0] or (NO_DEATHS < deaths < previous[1])


def batch_store(dataset_id: int, batch: Batch, state_by_county) -> Changes:
    """Compare the batch with the stored rows and write what is new or changed.

    On PostgreSQL both happen in one transaction: the write replaces exactly the rows the
    comparison saw, and the server-side cursor of the comparison needs a transaction (a
    command runs in autocommit). SQLite writes in its own short steps.
    """
    if connection.vendor != "postgresql":
        changes = batch_compare(dataset_id, batch)
        changes_write(dataset_id, batch, changes, state_by_county)
        return changes
    with transaction.atomic():
        changes = batch_compare(dataset_id, batch)
        changes_write(dataset_id, batch, changes, state_by_county)
    return changes


def batch_compare(dataset_id: int, batch: Batch) -> Changes:
    """Merge the batch with the stored rows of its dates (and LOOKBACK_DAYS before)."""
    changes = Changes()
    if not len(batch):
        return changes
    first, last = batch.first_day, batch.last_day
    stored = stored_rows(dataset_id, first - timedelta(days=LOOKBACK_DAYS), last)
    try:
        batch_merge(batch, stored, changes)
    finally:
        stored.close()  # the cursor is closed here, inside the transaction that opened it
    return changes


def batch_merge(batch: Batch, stored: Iterator[tuple], changes: Changes) -> None:
    """One pass over the batch and the stored rows, both sorted by key, filling `changes`."""
    current = next(stored, None)
    county, previous = None, None
    for index, key in enumerate(batch.keys):
        # Stored days before this row only tell us the county's previous counts.
        while current is not None and current[0] < key:
            county, previous = current[0] // DAY_FACTOR, (current[2], current[3])
            current = next(stored, None)
        if key // DAY_FACTOR != county:
            county, previous = key // DAY_FACTOR, None
        confirmed, deaths = batch.confirmed[index], batch.deaths[index]
        flag = fell(previous, confirmed, deaths)
        if flag:
            changes.revised_down += 1
            correction_note(changes, key, previous, confirmed, deaths, batch.lines[index])
        if current is not None and current[0] == key:
            if (current[2], current[3], current[4]) == (confirmed, deaths, flag):
                changes.unchanged += 1
            else:
                changes.replace_ids.append(current[1])
                changes.insert.append(index)
                changes.flags.append(flag)
            current = next(stored, None)
        else:
            changes.insert.append(index)
            changes.flags.append(flag)
        if deaths == NO_DEATHS and previous is not None:
            deaths = previous[1]  # a day without deaths keeps the last known count
        previous = (confirmed, deaths)


def correction_note(changes, key, previous, confirmed, deaths, line) -> None:
    if len(changes.corrections) >= KEPT_CORRECTIONS:
        return
    county_id, ordinal = divmod(key, DAY_FACTOR)
    changes.corrections.append(
        {
            "line": line,
            "fips": f"{county_id:05d}",
            "date": date.fromordinal(ordinal).isoformat(),
            "confirmed": [previous[0], confirmed],
            "deaths": [previous[1], deaths] if deaths != NO_DEATHS else None,
        }
    )


def changes_write(dataset_id: int, batch: Batch, changes: Changes, state_by_county) -> None:
    """Write the new and changed rows: PostgreSQL in one transaction, SQLite in steps."""
    rows = insert_rows(dataset_id, batch, changes, state_by_county)
    if connection.vendor != "postgresql" and len(changes.insert) >= BIG_INSERT:
        with state_index_rebuilt():
            upsert_in_steps(rows)
        return
    if connection.vendor != "postgresql":
        upsert_in_steps(rows)
        return
    ids = changes.replace_ids
    with transaction.atomic():
        for start in range(0, len(ids), DELETE_CHUNK):
            CountyDay.objects.filter(id__in=ids[start : start + DELETE_CHUNK].tolist()).delete()
        # The indexes stay up: dropping one locks the table until the commit, which readers
        # must never meet. A first history into the empty table is streamed instead
        # (pipeline/first_load.py), with the indexes built after.
        copy_rows(rows)


@contextmanager
def indexes_built_after():
    """PostgreSQL, large inserts: inside the load's transaction, drop the county-day unique
    constraint and the state index, COPY, then build both again, each in one sorted pass.

    Kept up row by row, the two B-trees were most of a full history's time on the server.
    Everything happens in the one transaction: a failure (a duplicate county-day included,
    which building the constraint again refuses) rolls back to the table and indexes as
    they were. Dropping takes the table's exclusive lock until the commit, so only a first
    load into the empty table does this (`first_load`: a new install's first history),
    when no page reads county rows yet.
    """
    constraint = next(
        c for c in CountyDay._meta.constraints if c.name == "datadesk_one_row_per_county_day"
    )
    index = next(i for i in CountyDay._meta.indexes if i.name == STATE_INDEX)
    with connection.schema_editor(atomic=False) as editor:
        editor.remove_constraint(CountyDay, constraint)
        editor.remove_index(CountyDay, index)
    yield
    with connection.cursor() as cursor:
        # The builds sort in memory up to this (the server's default is 64 MB).
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    with connection.schema_editor(atomic=False) as editor:
        editor.add_constraint(CountyDay, constraint)
        editor.add_index(CountyDay, index)


def upsert_in_steps(rows: Iterator[tuple]) -> None:
    """SQLite: insert or replace each county-day, SQLITE_STEP_ROWS to a transaction.

    Each step is whole (a county-day is never missing between a delete and an insert), and
    a load stopped between steps is completed by loading the same source again.
    """
    table = CountyDay._meta.db_table
    sql = (
        f"INSERT INTO {table} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (dataset_id, county_id, date) DO UPDATE SET state_id = excluded.state_id, "
        "confirmed = excluded.confirmed, deaths = excluded.deaths, "
        "revised_down = excluded.revised_down"
    )
    while step := list(islice(rows, SQLITE_STEP_ROWS)):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, step)
        if len(step) == SQLITE_STEP_ROWS:
            time.sleep(SQLITE_PAUSE)


@contextmanager
def state_index_rebuilt():
    """SQLite, large inserts: drop the (dataset, state, date) index, write, build it again.

    Rows arrive in (county, date) order, which suits the unique index but scatters writes
    over this one; building it once, sorted, is several times faster. Between the steps
    other readers run without this index (slower state pages, the same answers); the index
    is built again even when the load fails or is interrupted, and `state_index_ensure`
    builds it at the start of the next load if the process was killed outright.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'DROP INDEX IF EXISTS "{STATE_INDEX}"')
    try:
        yield
    finally:
        state_index_ensure()


def state_index_ensure() -> None:
    """SQLite: build the state index if a killed load left it dropped (cheap when it exists)."""
    if connection.vendor == "postgresql":
        return
    index = next(i for i in CountyDay._meta.indexes if i.name == STATE_INDEX)
    columns = ", ".join(f'"{CountyDay._meta.get_field(name).column}"' for name in index.fields)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'CREATE INDEX IF NOT EXISTS "{STATE_INDEX}" ON "{CountyDay._meta.db_table}" '
            f"({columns})"
        )


def insert_rows(dataset_id, batch: Batch, changes: Changes, state_by_county) -> Iterator[tuple]:
    iso_dates: dict[int, str] = {}
    for index, flag in zip(changes.insert, changes.flags, strict=True):
        county_id, ordinal = divmod(batch.keys[index], DAY_FACTOR)
        day = iso_dates.get(ordinal)
        if day is None:
            day = iso_dates[ordinal] = date.fromordinal(ordinal).isoformat()
        deaths = batch.deaths[index]
        yield (
            dataset_id,
            county_id,
            state_by_county[county_id],
            day,
            batch.confirmed[index],
            None if deaths == NO_DEATHS else deaths,
            bool(flag),
        )


def copy_rows(rows: Iterator[tuple]) -> None:
    """PostgreSQL COPY ... FROM STDIN in text format, in blocks (psycopg 3 cursor.copy)."""
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {CountyDay._meta.db_table} ({COLUMNS}) FROM STDIN") as copy:
            block: list[str] = []
            for dataset_id, county_id, state_id, day, confirmed, deaths, flag in rows:
                dead = NULL if deaths is None else deaths
                flagged = "t" if flag else "f"
                block.append(
                    f"{dataset_id}\t{county_id}\t{state_id}\t{day}\t{confirmed}\t{dead}\t{flagged}\n"
                )
                if len(block) >= COPY_BLOCK_ROWS:
                    copy.write("".join(block))
                    block.clear()
            if block:
                copy.write("".join(block))
