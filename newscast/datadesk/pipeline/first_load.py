"""Stages 2 and 3 at once on PostgreSQL: a first history streams to the server as it is read.

A first load (the county-day table still empty) has nothing to compare with, so each row
can go to the server the moment it is matched: the server stores rows on one core while
Python reads the file on the other, instead of waiting for the whole file to be read,
sorted and compared (docs/decisions/datadesk-first-load-streamed.md).

What only the whole file can tell is settled afterwards, by row id, in the same
transaction: the later copies of a duplicated county-day are deleted, falling counts are
flagged, and the Unassigned buckets (whole only at the end) are copied. A refusal or an
error anywhere rolls all of it back, as before. The load gives the ids itself: a row's id
is the first reserved id plus its position among the file's usable rows, which is how a
duplicate found by the sort is found again on the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date

from django.db import connection, transaction

from newscast.datadesk.models import CountyDay
from newscast.datadesk.pipeline.match import DAY_FACTOR, NO_DEATHS, Batch
from newscast.datadesk.pipeline.store import (
    COLUMNS,
    COPY_BLOCK_ROWS,
    NULL,
    Changes,
    batch_merge,
    indexes_built_after,
)

ID_CHUNK = 10_000  # ids per UPDATE or DELETE statement


@contextmanager
def first_load(dataset_id: int, state_by_county: dict[int, int]) -> Iterator[FirstLoad | None]:
    """A FirstLoad inside one transaction when this is PostgreSQL and no county row is stored
    yet (a new install's first history); None otherwise, and nothing is opened.

    The indexes are dropped first and built after the write, as for any big load into an
    empty table (`store.indexes_built_after`), the primary key's too: the table's exclusive
    lock is held from the first row read to the commit, which no reader meets while the
    table is empty. Another
    dataset's first load at the same moment waits for the lock; its rows cannot collide with
    this dataset's, and this dataset has no other running load (`LoadRun` allows one).
    """
    if connection.vendor != "postgresql" or CountyDay.objects.exists():
        yield None
        return
    with transaction.atomic(), indexes_built_after(), primary_key_built_after():
        load = FirstLoad(dataset_id, state_by_county, ids_first())
        load.start()
        try:
            yield load
        except BaseException as error:
            load.abandon(error)  # the server drops the COPY; the transaction rolls back
            raise
        load.close()


class FirstLoad:
    """The COPY of a first load: `add` takes each matched row (match.rows_match's `stream`),
    `complete` ends the COPY and settles what only the whole file could tell."""

    def __init__(self, dataset_id: int, state_by_county: dict[int, int], base: int):
        self.dataset_id, self.state_by_county, self.base = dataset_id, state_by_county, base
        self._stack = ExitStack()
        self._block: list[str] = []
        self._copy = None
        self.add = self._adder()

    def start(self) -> None:
        cursor = self._stack.enter_context(connection.cursor())
        self._copy = self._stack.enter_context(
            cursor.cursor.copy(f"COPY {CountyDay._meta.db_table} (id, {COLUMNS}) FROM STDIN")
        )

    def close(self) -> None:
        """End the COPY: what was streamed is in the table, uncommitted."""
        if self._copy is not None and self._block:
            self._copy.write("".join(self._block))
        self._block.clear()
        self._copy = None
        self._stack.close()

    def abandon(self, error: BaseException) -> None:
        """Cancel the COPY (psycopg tells the server why) without sending the rest."""
        self._block.clear()
        self._copy = None
        self._stack.__exit__(type(error), error, error.__traceback__)

    def _adder(self):
        """The per-row function, a closure over locals: it runs three million times."""
        block, base, dataset = self._block, self.base, f"\t{self.dataset_id}\t"
        places: dict[int, str] = {}  # county id -> "county\tstate\t"
        days: dict[int, str] = {}  # ordinal -> "YYYY-MM-DD\t"
        state_by_county = self.state_by_county

        def add(position, county_id, ordinal, confirmed, deaths, flag="f") -> None:
            place = places.get(county_id)
            if place is None:
                place = places[county_id] = f"{county_id}\t{state_by_county[county_id]}\t"
            day = days.get(ordinal)
            if day is None:
                day = days[ordinal] = f"{date.fromordinal(ordinal).isoformat()}\t"
            dead = deaths if deaths != NO_DEATHS else NULL
            block.append(f"{base + position}{dataset}{place}{day}{confirmed}\t{dead}\t{flag}\n")
            if len(block) >= COPY_BLOCK_ROWS:
                self._copy.write("".join(block))
                block.clear()

        return add

    def complete(self, batch: Batch) -> Changes:
        """End the streamed COPY, then flag, delete and copy what the whole file decided."""
        self.close()
        changes = Changes()
        batch_merge(batch, iter(()), changes)  # nothing stored: the table was empty
        if len(changes.insert) != len(batch):
            raise RuntimeError("A first load inserts every row of its batch.")
        streamed, flags = batch.counties_read, changes.flags
        flagged = [
            self.base + batch.positions[index]
            for index in flags_set(flags)
            if batch.positions[index] < streamed
        ]
        ids_apply("UPDATE {table} SET revised_down = true WHERE id = ANY(%s)", flagged)
        ids_apply("DELETE FROM {table} WHERE id = ANY(%s)", [self.base + p for p in batch.dropped])
        self.buckets_copy(batch, flags)
        ids_reserve(self.base + len(batch) + len(batch.dropped) - 1)
        return changes

    def buckets_copy(self, batch: Batch, flags: bytearray) -> None:
        """The rows not streamed (Unassigned buckets: sums over names), with their flags."""
        positions = batch.positions
        tail = [i for i in range(len(batch)) if positions[i] >= batch.counties_read]
        if not tail:
            return
        self.start()
        for index in tail:
            county_id, ordinal = divmod(batch.keys[index], DAY_FACTOR)
            confirmed, deaths = batch.confirmed[index], batch.deaths[index]
            flag = "t" if flags[index] else "f"
            self.add(positions[index], county_id, ordinal, confirmed, deaths, flag)
        self.close()


@contextmanager
def primary_key_built_after() -> Iterator[None]:
    """Drop the primary key's index for the COPY and build it after (ids arrive in order, but
    kept up row by row it cost the server about as much as the heap itself)."""
    table = CountyDay._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
        name = next(key for key, about in constraints.items() if about["primary_key"])
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" PRIMARY KEY (id)')


def flags_set(flags: bytearray) -> Iterator[int]:
    """Indexes of the set flags: a C-level search, as falling counts are rare."""
    index = flags.find(1)
    while index != -1:
        yield index
        index = flags.find(1, index + 1)


def ids_first() -> int:
    """The first id of this load. The table's exclusive lock (indexes dropped) is held, so no
    other insert draws on the identity sequence until the commit; `ids_reserve` moves it on."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval({id_sequence()})")
        return cursor.fetchone()[0]


def ids_reserve(last: int) -> None:
    """The sequence continues after the last id this load used (a rollback leaves a gap)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval({id_sequence()}, GREATEST(%s, 1))", [last])


def id_sequence() -> str:
    return f"pg_get_serial_sequence('{CountyDay._meta.db_table}', 'id')"


def ids_apply(sql: str, ids: list[int]) -> None:
    table = CountyDay._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(ids), ID_CHUNK):
            cursor.execute(sql.format(table=table), [ids[start : start + ID_CHUNK]])
