"""Reads of the data desk: tables, series and freshness, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Max, OuterRef, Subquery

from newscast.datadesk.models import County, CountyDay, Dataset, LoadRun, State

PER = 100_000  # rates are per 100,000 residents (2019 Census estimates)
NEW_CASES_DAYS = 7


@dataclass
class CountyRow:
    """One county's line in a state table."""

    county: County
    confirmed: int
    deaths: int | None
    new_cases: int | None  # over the last NEW_CASES_DAYS days
    revised_down: bool = False
    reported_on: date | None = None  # the county's latest day; before as_of = carried forward
    as_of: date | None = None  # the table's date

    @property
    def carried_forward(self) -> bool:
        """The county did not report on the table's as-of date: its last figure is shown."""
        return (
            self.reported_on is not None
            and self.as_of is not None
            and (self.reported_on < self.as_of)
        )

    @property
    def name(self) -> str:
        return self.county.name

    @property
    def fips(self) -> str:
        return self.county.fips

    @property
    def confirmed_rate(self) -> float | None:
        return rate(self.confirmed, self.county.population)

    @property
    def deaths_rate(self) -> float | None:
        return rate(self.deaths, self.county.population)

    @property
    def new_cases_rate(self) -> float | None:
        return rate(self.new_cases, self.county.population)


@dataclass
class StateTable:
    """A state's latest figures: totals and county rows in the widget's order."""

    dataset: Dataset
    state: State
    as_of: date | None
    rows: list[CountyRow] = field(default_factory=list)

    @property
    def confirmed(self) -> int:
        return sum(row.confirmed for row in self.rows)

    @property
    def deaths(self) -> int:
        return sum(row.deaths or 0 for row in self.rows)

    @property
    def new_cases(self) -> int | None:
        """None when no county has a day a week before the as-of date to compare with."""
        known = [row.new_cases for row in self.rows if row.new_cases is not None]
        return sum(known) if known else None

    @property
    def population(self) -> int:
        return sum(row.county.population or 0 for row in self.rows)

    @property
    def not_reported(self) -> list[CountyRow]:
        """Counties whose figure is carried forward from an earlier day (name order)."""
        rows = [row for row in self.rows if row.carried_forward]
        return sorted(rows, key=lambda row: row.name)


def rate(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return count * PER / population


def widget_order(row: CountyRow):
    """Confirmed cases, highest first; Unassigned last; ties by name."""
    return (row.county.is_unassigned, -row.confirmed, row.county.name)


def dataset_states(dataset: Dataset, covered_codes: list[str]) -> list[State]:
    """The states a dataset shows: its own list, else the station's covered states (in order)."""
    own = list(dataset.states.all())
    if own:
        return own
    by_code = State.objects.in_bulk(covered_codes, field_name="postal_code")
    return [by_code[code] for code in covered_codes if code in by_code]


def state_as_of(dataset: Dataset, state: State) -> date | None:
    return CountyDay.objects.filter(dataset=dataset, state=state).aggregate(Max("date"))[
        "date__max"
    ]


def latest_days(dataset: Dataset, state: State, on_or_before: date):
    """Each county's latest stored day on or before a date: one query.

    A source may leave counties out of a day (a partial file, a county that did not report):
    a cumulative count stays true until the next report, so the county's last figure stands.
    """
    latest = (
        CountyDay.objects.filter(dataset=dataset, county=OuterRef("pk"), date__lte=on_or_before)
        .order_by("-date")
        .values("pk")[:1]
    )
    ids = County.objects.filter(state=state).annotate(day=Subquery(latest)).values("day")
    return CountyDay.objects.filter(pk__in=ids)


def state_table_for(dataset: Dataset, state: State, as_of: date | None = None) -> StateTable:
    """The state's county table on its latest day (or `as_of`): 3 queries.

    Every county that has reported appears, with its latest figure on or before the as-of
    date (marked carried forward when older), so a partial load never shrinks the totals.
    """
    as_of = as_of or state_as_of(dataset, state)
    table = StateTable(dataset, state, as_of)
    if as_of is None:
        return table
    week_ago = dict(
        latest_days(dataset, state, as_of - timedelta(days=NEW_CASES_DAYS)).values_list(
            "county_id", "confirmed"
        )
    )
    for day in latest_days(dataset, state, as_of).select_related("county"):
        before = week_ago.get(day.county_id)
        table.rows.append(
            CountyRow(
                county=day.county,
                confirmed=day.confirmed,
                deaths=day.deaths,
                new_cases=None if before is None else max(day.confirmed - before, 0),
                revised_down=day.revised_down,
                reported_on=day.date,
                as_of=as_of,
            )
        )
    table.rows.sort(key=widget_order)
    return table


def state_series_for(dataset: Dataset, state: State) -> list[tuple[date, int, int]]:
    """(date, confirmed, deaths) summed over the state's counties, oldest first: 1 query.

    Summed in Python, carrying each county's last figure over the days it did not report,
    so the series agrees with the state table (a partial day is not a fall to near zero).
    """
    # A raw cursor: the ORM's per-row date conversion costs more than the sums (SQLite).
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT date, county_id, confirmed, deaths FROM {CountyDay._meta.db_table} "
            "WHERE dataset_id = %s AND state_id = %s ORDER BY date",
            [dataset.pk, state.pk],
        )
        rows = cursor.fetchall()
    last: dict[int, tuple[int, int]] = {}
    series: list[tuple[date, int, int]] = []
    confirmed_total = deaths_total = 0
    current = None
    for day, county_id, confirmed, deaths in rows:
        if day != current:
            if current is not None:
                series.append((as_date(current), confirmed_total, deaths_total))
            current = day
        before_confirmed, before_deaths = last.get(county_id, (0, 0))
        deaths = before_deaths if deaths is None else deaths
        confirmed_total += confirmed - before_confirmed
        deaths_total += deaths - before_deaths
        last[county_id] = (confirmed, deaths)
    if current is not None:
        series.append((as_date(current), confirmed_total, deaths_total))
    return series


def as_date(value) -> date:
    """SQLite returns dates as text, PostgreSQL as dates."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def county_series_for(dataset: Dataset, county: County) -> list[tuple[date, int, int]]:
    """(date, confirmed, deaths) for one county, oldest first: 1 query."""
    rows = (
        CountyDay.objects.filter(dataset=dataset, county=county)
        .order_by("date")
        .values_list("date", "confirmed", "deaths")
    )
    return [(day, confirmed, deaths or 0) for day, confirmed, deaths in rows]


def last_good_load(dataset: Dataset) -> LoadRun | None:
    """The latest successful load: its finish time is "last updated" on the pages."""
    return (
        LoadRun.objects.filter(dataset=dataset, outcome=LoadRun.Outcome.SUCCESS)
        .order_by("-finished_at")
        .first()
    )


def dataset_list() -> list[Dataset]:
    """Every dataset by name, each with `row_count` and `last_loaded_at` (its last good load)."""
    last_loaded = (
        LoadRun.objects.filter(dataset=OuterRef("pk"), outcome=LoadRun.Outcome.SUCCESS)
        .order_by("-finished_at")
        .values("finished_at")[:1]
    )
    rows = CountyDay.objects.filter(dataset=OuterRef("pk")).order_by().values("dataset")
    return list(
        Dataset.objects.annotate(
            last_loaded_at=Subquery(last_loaded),
            row_count=Subquery(rows.annotate(n=Count("pk")).values("n")[:1]),
        ).order_by("name")
    )


def sidebar_dataset() -> Dataset | None:
    return Dataset.objects.filter(show_in_sidebar=True).order_by("pk").first()


def data_version() -> str:
    """Changes whenever the figures (a successful load) or a dataset's settings change: the
    sidebar's cache key. Two small indexed queries."""
    load = LoadRun.objects.filter(outcome=LoadRun.Outcome.SUCCESS).aggregate(Max("pk"))
    edited = Dataset.objects.aggregate(Max("updated_at"))["updated_at__max"]
    return f"{load['pk__max'] or 0}-{edited.timestamp() if edited else 0}"


def daily_new(series: list[tuple[date, int, int]]) -> list[tuple[date, int]]:
    """Daily new counts from a cumulative series (a fall, the source's correction, counts 0)."""
    result, previous = [], None
    for day, confirmed, _deaths in series:
        result.append((day, 0 if previous is None else max(confirmed - previous, 0)))
        previous = confirmed
    return result


def rolling_average(values: list[int], days: int = 7) -> list[float | None]:
    """Trailing average over `days` values; None until there are enough."""
    averages: list[float | None] = []
    running = 0
    for index, value in enumerate(values):
        running += value
        if index >= days:
            running -= values[index - days]
        averages.append(running / days if index >= days - 1 else None)
    return averages
