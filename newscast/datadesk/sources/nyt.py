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
    parse_count,
    records,
)

HEADER = ["date", "county", "state", "fips", "cases", "deaths"]


def parse(lines: Iterable[str]) -> Iterator[Row | Rejection]:
    header, rows = records(
        lines, "The file is empty: an NYT county file starts with " + ",".join(HEADER)
    )
    if header[:6] != HEADER:
        raise SourceError(
            "Wrong header for the NYT format: expected it to start with "
            f"{','.join(HEADER)}, found {','.join(header)[:300]}"
        )
    read_date = DateReader()
    for line, fields in rows:
        day, county, state, fips, cases, deaths = fields[:6]
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
        yield Row(line, when, state, county, fips, confirmed, dead)
