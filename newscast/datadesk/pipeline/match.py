"""Stage 2: parse the source's rows and match each to a county, collecting rejections.

The result is a Batch: parallel arrays sorted by (county, date), so a full NYT history
(3 million rows) fits in a few hundred megabytes and compares with stored rows in one pass.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import eq

from newscast.core.geography.reference import Places
from newscast.core.models import UNASSIGNED_BASE
from newscast.datadesk.sources import MAX_COUNT, Reason, Rejection, Row, Skipped, SourceError

DAY_FACTOR = 1_000_000  # key = county id * DAY_FACTOR + date ordinal; ordinals are < 10**6
NO_DEATHS = -1  # the deaths array's mark for "the source gave none"
KEPT_REJECTIONS = 500
KEPT_WARNINGS = 500
INDEX_BITS = 23  # rows per source at most 2**23 (8.3 million; the NYT history is ~2.5 million)
INDEX_MASK = (1 << INDEX_BITS) - 1  # rejected rows kept in the load record; the counts cover all


@dataclass
class Batch:
    """The usable rows of one source, sorted by key, plus what was rejected or skipped."""

    # Keys need 64 bits; counts (at most MAX_COUNT) and line numbers fit in 32, which
    # saves ~100 MB on a full NYT history.
    keys: array = field(default_factory=lambda: array("q"))
    confirmed: array = field(default_factory=lambda: array("i"))
    deaths: array = field(default_factory=lambda: array("i"))
    lines: array = field(default_factory=lambda: array("i"))
    rows_read: int = 0
    rows_skipped: int = 0
    rejection_counts: Counter = field(default_factory=Counter)
    rejections: list[dict] = field(default_factory=list)
    warning_counts: Counter = field(default_factory=Counter)
    warnings: list[dict] = field(default_factory=list)
    # The date ordinals of the usable rows: the first and last day without a pass over keys.
    days: set[int] = field(default_factory=set)
    # After sorting: each row's position in the file's usable rows, and those of the
    # duplicates dropped (a streamed first load finds its rows on the server by them).
    positions: array = field(default_factory=lambda: array("i"))
    dropped: array = field(default_factory=lambda: array("i"))
    counties_read: int = 0  # usable rows before the Unassigned buckets: positions below

    @property
    def first_day(self) -> date:
        return date.fromordinal(min(self.days))

    @property
    def last_day(self) -> date:
        return date.fromordinal(max(self.days))

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejection_counts.values())

    def reject(self, line: int, reason: str, detail: str) -> None:
        self.rejection_counts[reason] += 1
        if len(self.rejections) < KEPT_REJECTIONS:
            # The detail quotes the row's cell (staff see it on the load's admin page): a
            # short excerpt only, however long the cell (docs/production.md).
            excerpt = detail if len(detail) <= DETAIL_CAP else detail[: DETAIL_CAP - 1] + "…"
            self.rejections.append({"line": line, "reason": reason, "detail": excerpt})

    def warn(self, line: int | None, kind: str, detail: str) -> None:
        self.warning_counts[kind] += 1
        if len(self.warnings) < KEPT_WARNINGS:
            self.warnings.append({"line": line, "warning": kind, "detail": detail})


DETAIL_CAP = 160  # characters of a rejected row's detail kept in the load record


class Flag:
    """What a load flags but keeps: the words the load report and the admin show."""

    DEATHS_ABOVE_CONFIRMED = "deaths above confirmed"
    ABOVE_POPULATION = "confirmed above the county's population"
    MISSING = "reported the day before, missing on the last day"


@dataclass(frozen=True)
class Limits:
    """The sanity rules a row must pass: no date after `last_day`, no count over `ceiling`."""

    last_day: date
    ceiling: int


def split_key(key: int) -> tuple[int, int]:
    """key -> (county id, date ordinal)."""
    return divmod(key, DAY_FACTOR)


def rows_match(
    parsed: Iterable[Row | Rejection | Skipped],
    places: Places,
    limits: Limits,
    stream: Callable[[int, int, int, int, int], None] | None = None,
) -> Batch:
    """Match parsed rows to counties; reject unknown places, duplicates and rows that break the
    limits; flag rows that are possible but unlikely; sort by key.

    `stream`, when given, receives each usable county row as it is matched (its position in
    the file's usable rows, county id, date ordinal, confirmed, deaths): a first load on
    PostgreSQL copies rows to the server while the rest of the file is read
    (`pipeline.store.FirstLoad`). Unassigned buckets are only whole at the end: not streamed.

    Rows for a state's Unassigned bucket under different names (JHU's "Unassigned" and
    "Out of MS") are added together; the same name twice on one day is a duplicate.
    """
    batch = Batch()
    place_cache: dict[tuple[str, str, str], int | str] = {}
    ordinals: dict = {}
    unassigned: dict[int, list] = {}  # key -> [confirmed, deaths, line, names]
    # Bound methods and local counters: this loop runs once per row, millions of times.
    add_key, add_confirmed = batch.keys.append, batch.confirmed.append
    add_deaths, add_line = batch.deaths.append, batch.lines.append
    last_ordinal, ceiling = limits.last_day.toordinal(), limits.ceiling
    population = places.population
    days, day_before = batch.days, None
    read = skipped = position = 0
    for item in parsed:
        if item.__class__ is not Row:  # one test for the common case, a usable row
            if type(item) is Skipped:
                skipped += 1
            else:
                read += 1
                batch.reject(*item)
            continue
        read += 1
        line, day, _state, _county, _fips, confirmed, deaths = item
        county_id = place_cache.get(item[2:5])  # (state, county, fips)
        if county_id is None:
            county_id = place_cache[item[2:5]] = place_lookup(places, *item[2:5])
        if county_id.__class__ is str:
            batch.reject(line, Reason.UNKNOWN_PLACE, county_id)
            continue
        ordinal = ordinals.get(day)
        if ordinal is None:
            ordinal = ordinals[day] = day.toordinal()
        if ordinal > last_ordinal:
            batch.reject(line, Reason.FUTURE_DATE, f"{day} is after {limits.last_day}")
            continue
        if deaths is None:
            deaths = NO_DEATHS
        if confirmed > ceiling or deaths > ceiling:
            batch.reject(line, Reason.OVER_CEILING, f"{max(confirmed, deaths):,} > {ceiling:,}")
            continue
        if deaths > confirmed or confirmed > population.get(county_id, MAX_COUNT):
            row_flag(batch, item, county_id, population.get(county_id))
        if ordinal != day_before:  # files come a day at a time: a set insert per day, not row
            days.add(ordinal)
            day_before = ordinal
        key = county_id * DAY_FACTOR + ordinal
        if county_id >= UNASSIGNED_BASE:
            bucket_add(batch, unassigned, key, item, deaths)
            continue
        if stream is not None:
            stream(position, county_id, ordinal, confirmed, deaths)
        position += 1
        add_key(key)
        add_confirmed(confirmed)
        add_deaths(deaths)
        add_line(line)
    batch.rows_read, batch.rows_skipped, batch.counties_read = read, skipped, position
    for key, (confirmed, deaths, line, _names) in unassigned.items():
        batch.keys.append(key)
        batch.confirmed.append(confirmed)
        batch.deaths.append(deaths)
        batch.lines.append(line)
    return batch_sort(batch)


def row_flag(batch: Batch, row: Row, county_id: int, people: int | None) -> None:
    place = f"{row.county or 'Unassigned'}, {row.state} ({county_id:05d}) on {row.date}"
    if row.deaths is not None and row.deaths > row.confirmed:
        detail = f"{place}: {row.deaths:,} deaths, {row.confirmed:,} confirmed"
        batch.warn(row.line, Flag.DEATHS_ABOVE_CONFIRMED, detail)
    if people and row.confirmed > people:
        detail = f"{place}: {row.confirmed:,} confirmed, population {people:,}"
        batch.warn(row.line, Flag.ABOVE_POPULATION, detail)


def place_lookup(places: Places, state: str, county: str, fips: str) -> int | str:
    """The county id, or the reason it has none (a string) for the rejection."""
    state_id = places.state_id(state)
    if state_id is None:
        return f"state {state!r} is not in the reference (the 50 states and DC)"
    county_id = places.county_id(state_id, county, fips)
    if county_id is None:
        return f"county {county!r} (FIPS {fips or 'blank'}) is not in {state}"
    return county_id


def bucket_add(batch: Batch, unassigned: dict, key: int, item: Row, deaths: int) -> None:
    bucket = unassigned.get(key)
    if bucket is None:
        unassigned[key] = [item.confirmed, deaths, item.line, {item.county}]
    elif item.county in bucket[3]:
        batch.reject(item.line, Reason.DUPLICATE, f"{item.county}, {item.state} on {item.date}")
    else:
        bucket[0] += item.confirmed
        if deaths != NO_DEATHS:
            bucket[1] = max(bucket[1], 0) + deaths
        bucket[3].add(item.county)


def batch_sort(batch: Batch) -> Batch:
    """Sort by key and reject the later rows of a duplicated county and day."""
    if len(batch.keys) > INDEX_MASK:
        raise SourceError(f"The source has over {INDEX_MASK:,} rows; split it by date.")
    # One sortable int per row, key and position together: half the memory of sorting
    # positions by a key function, which matters at 3 million rows.
    order = sorted(key << INDEX_BITS | index for index, key in enumerate(batch.keys))
    result = Batch(
        rows_read=batch.rows_read,
        rows_skipped=batch.rows_skipped,
        rejection_counts=batch.rejection_counts,
        rejections=batch.rejections,
        warning_counts=batch.warning_counts,
        warnings=batch.warnings,
        days=batch.days,
        counties_read=batch.counties_read,
    )
    keys = array("q", [packed >> INDEX_BITS for packed in order])
    if any(map(eq, keys, keys[1:])):
        return duplicates_drop(batch, order, result)
    # No duplicates (the usual file): gather each column in one C-level pass.
    indexes = [packed & INDEX_MASK for packed in order]
    del order
    result.keys = keys
    result.positions = array("i", indexes)
    result.confirmed = array("i", map(batch.confirmed.__getitem__, indexes))
    result.deaths = array("i", map(batch.deaths.__getitem__, indexes))
    result.lines = array("i", map(batch.lines.__getitem__, indexes))
    return result


def duplicates_drop(batch: Batch, order: list[int], result: Batch) -> Batch:
    """Fill `result` from the sorted rows, rejecting every row after the first of its key."""
    previous = None
    # Sorting is stable, so among duplicates the first in the file comes first and is kept.
    for packed in order:
        key, index = packed >> INDEX_BITS, packed & INDEX_MASK
        if key == previous:
            result.dropped.append(index)
            county_id, ordinal = split_key(key)
            result.reject(
                batch.lines[index],
                Reason.DUPLICATE,
                f"county {county_id:05d} on {date.fromordinal(ordinal)} is already in the file",
            )
            continue
        previous = key
        result.keys.append(key)
        result.positions.append(index)
        result.confirmed.append(batch.confirmed[index])
        result.deaths.append(batch.deaths[index])
        result.lines.append(batch.lines[index])
    return result
