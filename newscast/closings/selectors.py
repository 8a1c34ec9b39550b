"""Reads of the closings desk: the board, its counts and the header mark, cached by version.

Every read the public sees is cached under the board version (one primary-key read, moved by
every change in services.py) and the station date, so a change shows on the next request in
every process and a status drops off by itself when its date ends in station time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.core.cache import cache
from django.db import connection

from newscast.closings.clock import board_days
from newscast.closings.models import (
    COUNTED_KINDS,
    BoardVersion,
    ChangeOutcome,
    FormAttempt,
    Organization,
    OrganizationKind,
    Status,
    StatusChange,
    StatusKind,
)
from newscast.core.versioned_cache import versioned_get, versioned_set
from newscast.core.versions import version_for

# Only a safety net: the version in every key makes a changed board stale at once.
BOARD_CACHE_SECONDS = 10 * 60
# Read with the other desks' versions in the one query a page makes (core/versions.py).
BOARD_VERSION_READ = 'SELECT number FROM "closings_boardversion" WHERE id = 1'


def board_version() -> int:
    """The board version (plain SQL: it runs on every page for the header mark)."""
    table = connection.ops.quote_name(BoardVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def board_version_for(request) -> int:
    """The board version, read once per request with the page's other versions."""
    if request is None:
        return board_version()
    return version_for(request, "closings-board") or 0


def delay_text(minutes: int | None) -> str:
    """120 -> "2 hours", 90 -> "1 hour 30 minutes"."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


@dataclass(frozen=True)
class BoardEntry:
    """One organization's status on one day, as the board, feeds and API show it."""

    status_id: int
    organization_id: int
    name: str
    kind: str
    kind_label: str
    county_id: int
    county: str
    state: str
    status: str
    delay_minutes: int | None
    note: str
    updated_at: datetime
    is_sample: bool

    @property
    def is_counted(self) -> bool:
        return self.status in COUNTED_KINDS

    @property
    def status_text(self) -> str:
        if self.status == StatusKind.DELAYED:
            return f"Delayed {delay_text(self.delay_minutes)}"
        return StatusKind(self.status).label


@dataclass
class CountyGroup:
    county_id: int
    name: str
    state: str
    entries: list[BoardEntry]

    @property
    def counted(self) -> int:
        return sum(entry.is_counted for entry in self.entries)


@dataclass
class BoardDay:
    date: date
    is_today: bool
    counties: list[CountyGroup]

    @property
    def entries(self) -> list[BoardEntry]:
        return [entry for group in self.counties for entry in group.entries]

    @property
    def counted(self) -> int:
        return sum(group.counted for group in self.counties)


@dataclass
class Board:
    """Today's and tomorrow's statuses, grouped by county then name."""

    days: list[BoardDay]
    last_updated: datetime | None
    version: int
    counties: list[tuple[int, str]] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return sum(day.counted for day in self.days)

    @property
    def is_sample(self) -> bool:
        return any(entry.is_sample for day in self.days for entry in day.entries)


def _entries(days: tuple[date, ...]) -> list[tuple[date, BoardEntry]]:
    rows = (
        Status.objects.filter(date__in=days)
        .select_related("organization__county__state")
        .order_by(
            "date",
            "organization__county__state__name",
            "organization__county__name",
            "organization__name",
        )
    )
    kinds = dict(OrganizationKind.choices)
    return [
        (
            row.date,
            BoardEntry(
                status_id=row.pk,
                organization_id=row.organization_id,
                name=row.organization.name,
                kind=row.organization.kind,
                kind_label=kinds.get(row.organization.kind, ""),
                county_id=row.organization.county_id,
                county=row.organization.county.name,
                state=row.organization.county.state.postal_code,
                status=row.kind,
                delay_minutes=row.delay_minutes,
                note=row.note,
                updated_at=row.updated_at,
                is_sample=row.organization.is_sample,
            ),
        )
        for row in rows
    ]


def board_build(version: int, days: tuple[date, date]) -> Board:
    """The board from the database (three joins, one query)."""
    by_day: dict[date, list[CountyGroup]] = {day: [] for day in days}
    counties: dict[int, str] = {}
    last_updated = None
    for day, entry in _entries(days):
        groups = by_day[day]
        if not groups or groups[-1].county_id != entry.county_id:
            groups.append(CountyGroup(entry.county_id, entry.county, entry.state, []))
        groups[-1].entries.append(entry)
        counties[entry.county_id] = f"{entry.county}, {entry.state}"
        last_updated = max(last_updated or entry.updated_at, entry.updated_at)
    return Board(
        days=[BoardDay(day, day == days[0], by_day[day]) for day in days],
        last_updated=last_updated,
        version=version,
        counties=sorted(counties.items(), key=lambda item: item[1]),
    )


def board_for(request=None, now: datetime | None = None) -> Board:
    """Today's and tomorrow's board, from the cache when nothing changed since."""
    version = board_version_for(request)
    days = board_days(now)
    key = f"closings:board:{version}:{days[0].isoformat()}"
    board = cache.get(key)
    if board is None:
        board = board_build(version, days)
        cache.set(key, board, BOARD_CACHE_SECONDS)
    return board


def board_filter(
    board: Board, *, text: str = "", county: int | None = None, kind: str = ""
) -> Board:
    """The board narrowed to organizations whose name holds `text`, in `county`, of `kind`."""
    needle = text.strip().casefold()

    def keep(entry: BoardEntry) -> bool:
        return (
            (not needle or needle in entry.name.casefold())
            and (county is None or entry.county_id == county)
            and (not kind or entry.kind == kind)
        )

    days = []
    for day in board.days:
        groups = [replace(g, entries=[e for e in g.entries if keep(e)]) for g in day.counties]
        days.append(replace(day, counties=[g for g in groups if g.entries]))
    return replace(board, days=days)


@dataclass(frozen=True)
class Mark:
    """What the header mark and the home page box show."""

    count: int
    is_sample: bool


def mark_for(request=None, now: datetime | None = None) -> Mark:
    """How many closings and delays (not "open" reports) today and tomorrow, and whether any
    of them is sample data: the header mark. Cached apart from the board, because every page
    shows it and a pair of values is cheap to unpickle."""
    version = board_version_for(request)
    days = board_days(now)
    key = f"closings:mark:{version}:{days[0].isoformat()}"
    mark = versioned_get(key)
    if mark is None:
        counted = Status.objects.filter(date__in=days, kind__in=COUNTED_KINDS)
        mark = Mark(counted.count(), counted.filter(organization__is_sample=True).exists())
        versioned_set(key, mark, BOARD_CACHE_SECONDS)
    return mark


def mark_count(request=None, now: datetime | None = None) -> int:
    """The header mark's count of closings and delays today and tomorrow."""
    return mark_for(request, now).count


def organization_list():
    """Every organization with its county, by its number (LEE-0042)."""
    return Organization.objects.select_related("county").order_by("code")


def change_list_held():
    """Changes from organizations' forms held for an editor's approval, oldest first."""
    return (
        StatusChange.objects.filter(outcome=ChangeOutcome.HELD)
        .select_related("organization__county")
        .order_by("changed_at")
    )


def change_list_recent(limit: int):
    return StatusChange.objects.select_related("organization", "changed_by")[:limit]


def form_attempt_list_refused(limit: int):
    return FormAttempt.objects.filter(succeeded=False).order_by("-at")[:limit]
