"""The New York Times covid-19-data county file (us-counties.csv and its live/recent twins).

https://github.com/nytimes/covid-19-data: "date,county,state,fips,cases,deaths", one row per
county per day, cumulative. Later files add confirmed/probable columns after those six; we
read the six. Rows without a county are "Unknown"; New York City is one row without FIPS.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from newscast.datadesk.sources import (
    CountError,
    DateReader,
    Reason,
    Rejection,
    Row,
    SourceError,
    StateRow,
    header_problem,
    parse_count,
    records,
)

HEADER = ["date", "county", "state", "fips", "cases", "deaths"]
# us-states.csv (and its live/recent twins): the states' own totals, one row per state a day.
STATE_HEADER = ["date", "state", "fips", "cases", "deaths"]
# Row(...) goes through a Python-level __new__; the tuple's own is a third cheaper per row.
new_row = tuple.__new__


def is_state_file(header: list[str]) -> bool:
    return header[:5] == STATE_HEADER


def parse_states(lines: Iterable[str]) -> Iterator[StateRow | Rejection]:
    header, rows = records(lines, "The file is empty.")
    if not is_state_file(header):
        problem = header_problem(header, STATE_HEADER)
        raise SourceError(f"Wrong header for an NYT state file: {problem}")
    read_date = DateReader()
    for line, fields in rows:
        day, state, _fips, cases, deaths = fields[:5]
        try:
            when = read_date(day)
        except ValueError:
            yield Rejection(line, Reason.BAD_DATE, f"date is {day!r}")
            continue
        try:
            confirmed = parse_count(cases, "cases")
            dead = parse_count(deaths, "deaths", required=False)
        except CountError as error:
            yield Rejection(line, error.reason, str(error))
            continue
        yield StateRow(line, when, state, confirmed, dead)


def parse(lines: Iterable[str]) -> Iterator[Row | Rejection]:
    header, rows = records(
        lines, "The file is empty: an NYT county file starts with " + ",".join(HEADER)
    )
    if header[:6] != HEADER:
        raise SourceError(f"Wrong header for the NYT format: {header_problem(header, HEADER)}")
    read_date = DateReader()
    seen = read_date.seen
    # This loop runs once per row of a full history (3 million): the common case (a date
    # already seen, two plain whole numbers) is inlined; anything else takes the checked path.
    for line, fields in rows:
        day, county, state, fips, cases, deaths = fields[:6]
        when = seen.get(day)
        if when is None:
            try:
                when = read_date(day)
            except ValueError:
                yield Rejection(line, Reason.BAD_DATE, f"date is {day!r}")
                continue
        if cases.isdecimal() and deaths.isdecimal() and len(cases) < 10 and len(deaths) < 10:
            yield new_row(Row, (line, when, state, county, fips, int(cases), int(deaths)))
            continue
        try:
            confirmed = parse_count(cases, "cases")
            dead = parse_count(deaths, "deaths", required=False)
        except CountError as error:
            yield Rejection(line, error.reason, str(error))
            continue
        yield Row(line, when, state, county, fips, confirmed, dead)
