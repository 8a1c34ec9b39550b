"""Reads of the data desk: tables, series and freshness, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from newscast.core.models import County, State
from newscast.core.versions import version_for
from newscast.datadesk.models import QUEUED_LOAD_LIMIT, CountyDay, Dataset, LoadRun, StateDay

PER = 100_000  # rates are per 100,000 residents (2019 Census estimates)
NEW_CASES_DAYS = 7


@dataclass
class CountyRow:
    """One county's line in a state table."""

    county: County
    confirmed: int
    deaths: int | None
    # Against the figure exactly NEW_CASES_DAYS calendar days earlier (a carried one counts);
    # negative when the source revised the count down; None when there is no such figure.
    new_cases: int | None
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
    # Counties whose last figure is older than the dataset's carry-forward limit: named on
    # the page as "not reported since", left out of the rows and the totals.
    lapsed: list[CountyRow] = field(default_factory=list)
    # The state's own reported totals (a state-level file), when there are recent ones.
    reported: StateDay | None = None

    @property
    def confirmed(self) -> int:
        """The state's total as shown: see `totals` for how it was made."""
        return self.totals.confirmed

    @property
    def deaths(self) -> int:
        return self.totals.deaths

    @property
    def county_confirmed(self) -> int:
        return sum(row.confirmed for row in self.rows)

    @property
    def county_deaths(self) -> int:
        return sum(row.deaths or 0 for row in self.rows)

    @property
    def new_cases(self) -> int | None:
        """The sum over the counties that have a figure seven days before the as-of date;
        None when none has."""
        known = [row.new_cases for row in self.rows if row.new_cases is not None]
        return sum(known) if known else None

    @property
    def new_cases_partial(self) -> bool:
        """Some counties have no figure seven days earlier, so the state's figure leaves
        them out (the page says so)."""
        return self.new_cases is not None and any(row.new_cases is None for row in self.rows)

    @property
    def totals(self) -> Totals:
        """The state's own reported totals when a state-level file gave recent ones (with
        their own date), else the sum of the county figures on the as-of date."""
        if self.reported is not None:
            day = self.reported
            return Totals(day.confirmed, day.deaths or 0, STATE_REPORTED, day.date)
        return Totals(self.county_confirmed, self.county_deaths, COUNTY_SUM, self.as_of)

    @property
    def population(self) -> int:
        return sum(row.county.population or 0 for row in self.rows)

    @property
    def not_reported(self) -> list[CountyRow]:
        """Counties whose figure is carried forward from an earlier day (name order)."""
        rows = [row for row in self.rows if row.carried_forward]
        return sorted(rows, key=lambda row: row.name)


COUNTY_SUM = "sum of county figures"
STATE_REPORTED = "reported by the state"


@dataclass(frozen=True)
class Totals:
    """A state's totals and how they were made: `source` says whose figures they are."""

    confirmed: int
    deaths: int
    source: str
    as_of: date | None


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


UNFINISHED = (LoadRun.Outcome.RUNNING, LoadRun.Outcome.INTERRUPTED, LoadRun.Outcome.FAILED)


def complete_through(dataset: Dataset) -> date | None:
    """The last day readers see while a load is unfinished; None when every load is.

    On SQLite a load writes in steps, so one that is running, or was killed or failed part-way,
    may have written some of its rows. Until a load of the dataset completes again, readers
    see the days up to the last one of the loads that completed before it (date.min when
    none did): a new night half-written stays invisible. 1 query, once per dataset object.
    """
    if "_complete_through" not in dataset.__dict__:
        loads = LoadRun.objects.filter(dataset=dataset).aggregate(
            completed=Max("started_at", filter=Q(outcome=LoadRun.Outcome.SUCCESS)),
            unfinished=Max("started_at", filter=Q(outcome__in=UNFINISHED)),
        )
        through = None
        if loads["unfinished"] and not (
            loads["completed"] and loads["completed"] > loads["unfinished"]
        ):
            through = (
                LoadRun.objects.filter(
                    dataset=dataset,
                    outcome=LoadRun.Outcome.SUCCESS,
                    started_at__lt=loads["unfinished"],
                ).aggregate(Max("last_date"))["last_date__max"]
                or date.min
            )
        dataset.__dict__["_complete_through"] = through
    return dataset.__dict__["_complete_through"]


def visible_days(dataset: Dataset, **filters):
    """The dataset's stored county days that readers may see (see complete_through)."""
    days = CountyDay.objects.filter(dataset=dataset, **filters)
    through = complete_through(dataset)
    return days if through is None else days.filter(date__lte=through)


def state_as_of(dataset: Dataset, state: State) -> date | None:
    return visible_days(dataset, state=state).aggregate(Max("date"))["date__max"]


def latest_days(dataset: Dataset, state: State, on_or_before: date):
    """Each county's latest stored day on or before a date: one query.

    A source may leave counties out of a day (a partial file, a county that did not report):
    a cumulative count stays true until the next report, so the county's last figure stands,
    for at most the dataset's carry_forward_days (the callers apply that limit).
    """
    latest = (
        CountyDay.objects.filter(dataset=dataset, county=OuterRef("pk"), date__lte=on_or_before)
        .order_by("-date")
        .values("pk")[:1]
    )
    ids = County.objects.filter(state=state).annotate(day=Subquery(latest)).values("day")
    return CountyDay.objects.filter(pk__in=ids)


def state_table_for(dataset: Dataset, state: State, as_of: date | None = None) -> StateTable:
    """The state's county table on its latest day (or `as_of`): 4 queries.

    Every county that has reported within the dataset's carry-forward limit appears, with
    its latest figure on or before the as-of date (marked carried forward when older), so a
    partial load never shrinks the totals; counties silent for longer are listed as lapsed.
    """
    as_of = as_of or state_as_of(dataset, state)
    table = StateTable(dataset, state, as_of)
    if as_of is None:
        return table
    limit = timedelta(days=dataset.carry_forward_days)
    week_day = as_of - timedelta(days=NEW_CASES_DAYS)
    week_ago = {
        county_id: confirmed
        for county_id, day, confirmed in latest_days(dataset, state, week_day).values_list(
            "county_id", "date", "confirmed"
        )
        if week_day - day <= limit
    }
    for day in latest_days(dataset, state, as_of).select_related("county"):
        before = week_ago.get(day.county_id)
        row = CountyRow(
            county=day.county,
            confirmed=day.confirmed,
            deaths=day.deaths,
            new_cases=None if before is None else day.confirmed - before,
            revised_down=day.revised_down,
            reported_on=day.date,
            as_of=as_of,
        )
        (table.rows if as_of - day.date <= limit else table.lapsed).append(row)
    table.rows.sort(key=widget_order)
    table.lapsed.sort(key=lambda row: row.name)
    table.reported = state_reported(dataset, state, as_of)
    return table


def state_reported(dataset: Dataset, state: State, as_of: date) -> StateDay | None:
    """The state's own latest totals on or before the as-of date, if a state-level file gave
    any within the carry-forward limit: 1 query."""
    limit = timedelta(days=dataset.carry_forward_days)
    return (
        StateDay.objects.filter(
            dataset=dataset, state=state, date__lte=as_of, date__gte=as_of - limit
        )
        .order_by("-date")
        .first()
    )


@dataclass
class DayFigures:
    """A place's figures on one calendar day.

    `confirmed` and `deaths` are the totals of the counties counted that day (their own
    report, or their last one carried for at most the dataset's carry_forward_days); None
    when none is. `new` is the change in confirmed from the calendar day before, over the
    counties counted on both days (a county's first report counts in full); None, a gap,
    when the place has no report on the day or on the day before, since the change would
    then span more than one day. Below zero when the source revised its counts down.
    """

    date: date
    confirmed: int | None
    deaths: int | None
    reported: bool
    new: int | None


def calendar_days(rows, carry_days: int) -> list[DayFigures]:
    """Every calendar day from the first report to the last, from (date, county id,
    confirmed, deaths) rows sorted by date: the rule of DayFigures, in one pass."""
    by_day: dict[int, dict[int, tuple[int, int | None]]] = {}
    for day, county_id, confirmed, deaths in rows:
        by_day.setdefault(as_date(day).toordinal(), {})[county_id] = (confirmed, deaths)
    if not by_day:
        return []
    last: dict[int, tuple[int, int, int]] = {}  # county -> (ordinal, confirmed, deaths)
    days: list[DayFigures] = []
    for ordinal in range(min(by_day), max(by_day) + 1):
        reports = by_day.get(ordinal, {})
        new = None
        if reports and ordinal - 1 in by_day:
            new = day_change(last, reports, ordinal, carry_days)
        for county_id, (confirmed, deaths) in reports.items():
            before = last.get(county_id)
            if deaths is None:  # a day without deaths keeps the last known count
                deaths = before[2] if before else 0
            last[county_id] = (ordinal, confirmed, deaths)
        counted = [figures for figures in last.values() if ordinal - figures[0] <= carry_days]
        days.append(
            DayFigures(
                date=date.fromordinal(ordinal),
                confirmed=sum(f[1] for f in counted) if counted else None,
                deaths=sum(f[2] for f in counted) if counted else None,
                reported=bool(reports),
                new=new,
            )
        )
    return days


def day_change(last: dict, reports: dict, ordinal: int, carry_days: int) -> int:
    """The change from the day before over the counties counted on both days, plus first
    reports. A county not reporting today adds nothing (its figure is carried); one back
    after more than carry_days adds nothing either (it was not counted the day before)."""
    change = 0
    for county_id, (confirmed, _deaths) in reports.items():
        before = last.get(county_id)
        if before is None:
            change += confirmed
        elif ordinal - 1 - before[0] <= carry_days:
            change += confirmed - before[1]
    return change


def state_series_for(dataset: Dataset, state: State) -> list[DayFigures]:
    """The state's figures on every calendar day from its first report to its last: 1 query.

    Summed in Python, carrying each county's last figure over the days it did not report
    (up to the dataset's limit), so the series agrees with the state table.
    """
    # A raw cursor: the ORM's per-row date conversion costs more than the sums (SQLite).
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT date, county_id, confirmed, deaths FROM {CountyDay._meta.db_table} "
            "WHERE dataset_id = %s AND state_id = %s AND date <= %s ORDER BY date",
            [dataset.pk, state.pk, (complete_through(dataset) or date.max).isoformat()],
        )
        rows = cursor.fetchall()
    return calendar_days(rows, dataset.carry_forward_days)


def as_date(value) -> date:
    """SQLite returns dates as text, PostgreSQL as dates."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def county_series_for(dataset: Dataset, county: County) -> list[DayFigures]:
    """The county's figures on every calendar day from its first report to its last: 1 query."""
    rows = (
        visible_days(dataset, county=county)
        .order_by("date")
        .values_list("date", "county_id", "confirmed", "deaths")
    )
    return calendar_days(rows, dataset.carry_forward_days)


def reported_days(days: list[DayFigures]) -> list[DayFigures]:
    """The days with at least one report: the API's and the downloads' series."""
    return [day for day in days if day.reported]


def week_change(days: list[DayFigures]) -> int | None:
    """New over the last NEW_CASES_DAYS days of a calendar series: the last day's figure
    less the figure exactly that many days earlier, or None when there is none."""
    if len(days) <= NEW_CASES_DAYS:
        return None
    latest, before = days[-1].confirmed, days[-1 - NEW_CASES_DAYS].confirmed
    if latest is None or before is None:
        return None
    return latest - before


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


def datasets_with_states() -> list[Dataset]:
    """Every dataset with its own featured states, for /data/ and the API's list."""
    return list(Dataset.objects.prefetch_related("states"))


def state_by_code(code: str) -> State | None:
    return State.objects.filter(postal_code=code.upper()).first()


def states_with_data(dataset: Dataset):
    """The states that have at least one visible day of the dataset, by name."""
    return State.objects.filter(pk__in=visible_days(dataset).values("state").distinct())


def county_by_fips(fips: str) -> County | None:
    """The county (with its state) whose FIPS code is `fips`, or None for any other text."""
    if not fips.isdigit():
        return None
    return County.objects.select_related("state").filter(pk=int(fips)).first()


def sidebar_dataset() -> Dataset | None:
    return Dataset.objects.filter(show_in_sidebar=True).order_by("pk").first()


# Read with the other desks' versions in the one query a page makes (core/versions.py).
DATA_VERSION_READS = {
    "data-load": ('SELECT MAX(id) FROM "datadesk_loadrun" WHERE outcome = %s', ("success",)),
    "data-edit": ('SELECT MAX(updated_at) FROM "datadesk_dataset"', ()),
}


def data_version(request=None) -> str:
    """Changes whenever the figures (a successful load) or a dataset's settings change: the
    sidebar's cache key. Read once per request with the page's other versions."""
    load = version_for(request, "data-load")
    edited = version_for(request, "data-edit")
    # The edit time as the driver gives it (a datetime or SQLite's text), without spaces:
    # it goes into a cache key.
    return f"{load or 0}-{str(edited or 0).replace(' ', 'T')}"


def rolling_average(values: list[int | None], days: int = 7) -> list[float | None]:
    """Trailing average over `days` values; None where the window is not complete (it starts
    before the series or holds a gap)."""
    averages: list[float | None] = []
    for index in range(len(values)):
        window = values[index - days + 1 : index + 1] if index >= days - 1 else []
        complete = len(window) == days and all(value is not None for value in window)
        averages.append(sum(window) / days if complete else None)
    return averages


def loads_lost() -> list[LoadRun]:
    """Queued "Load now" records no worker took within QUEUED_LOAD_LIMIT and that no later
    load of their dataset has made up for: what /healthz reports as lost."""
    later = LoadRun.objects.filter(
        dataset=OuterRef("dataset"), started_at__gt=OuterRef("queued_at")
    ).exclude(outcome=LoadRun.Outcome.QUEUED)
    return list(
        LoadRun.objects.filter(
            outcome=LoadRun.Outcome.QUEUED,
            queued_at__lt=timezone.now() - QUEUED_LOAD_LIMIT,
        )
        .exclude(Exists(later))
        .select_related("dataset")
        .order_by("queued_at")
    )


def queued_loads_check() -> dict:
    """/healthz: "lost" while a "Load now" never started (the details for staff only)."""
    lost = loads_lost()
    if not lost:
        return {"status": "ok"}
    return {
        "status": "lost",
        "error": f"{len(lost)} queued load(s) never started (admin: Data loads)",
        "datasets": sorted({run.dataset.slug for run in lost}),
        "oldest_queued_at": lost[0].queued_at.isoformat(),
    }
