"""JHU CSSE COVID-19 daily reports (csse_covid_19_daily_reports/MM-DD-YYYY.csv), 22 March 2020 on.

Header: FIPS,Admin2,Province_State,Country_Region,Last_Update,Lat,Long_,Confirmed,Deaths,
Recovered,Active,Combined_Key (later files add Incident_Rate,Case_Fatality_Ratio). One file
is one day for the whole world; we keep Country_Region "US" and skip its rows that are not
places (national "Recovered", the cruise ships). The file's day is the MM-DD-YYYY in its
name (also with a suffix, as an upload gets: "04-12-2020_a1b2c3.csv") or the date the loader
is given; never Last_Update, which is when JHU last touched a row and often a day later.
Earlier reports (before 22 March 2020) have no counties and are refused by their header.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from newscast.datadesk.sources import (
    CountError,
    Rejection,
    Row,
    Skipped,
    SourceError,
    StateRow,
    check_header,
    parse_count,
    records,
)

REQUIRED = ["FIPS", "Admin2", "Province_State", "Country_Region", "Confirmed", "Deaths"]
# US rows that are not places: national recoveries, cruise ships and evacuee flights.
NOT_PLACES = {"recovered", "diamond princess", "grand princess", "wuhan evacuee", "us"}
FILE_DATE = re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{4})(?!\d)")


def report_date(source_name: str) -> date | None:
    """The day a daily report covers, from its name ("04-12-2020.csv" -> 2020-04-12).

    None when the name has no MM-DD-YYYY; SourceError when it has one that is no date.
    """
    match = FILE_DATE.search(source_name)
    if not match:
        return None
    month, day, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise SourceError(
            f"The file name {source_name!r} has {match.group(0)}, which is not a date "
            "(JHU names its reports MM-DD-YYYY.csv): rename the file or give the date."
        ) from None


# csse_covid_19_daily_reports_us/MM-DD-YYYY.csv: one row per state or territory, no Admin2.
STATE_REQUIRED = ["Province_State", "Country_Region", "Confirmed", "Deaths"]


def is_state_file(header: list[str]) -> bool:
    return "Admin2" not in header and all(column in header for column in STATE_REQUIRED)


def parse_states(lines: Iterable[str], day: date) -> Iterator[StateRow | Rejection]:
    """The states' own totals from a JHU daily US report (csse_covid_19_daily_reports_us)."""
    header, rows = records(lines, "The file is empty.")
    column = check_header(header, STATE_REQUIRED, "JHU daily US report")
    for line, fields in rows:
        try:
            confirmed = parse_count(fields[column["Confirmed"]], "Confirmed")
            deaths = parse_count(fields[column["Deaths"]], "Deaths", required=False)
        except CountError as error:
            yield Rejection(line, error.reason, str(error))
            continue
        yield StateRow(line, day, fields[column["Province_State"]], confirmed, deaths)


def report_day(source_name: str, given: date | None) -> date:
    """The report's day: the one given (--date), else the one in its name; SourceError if
    there is neither."""
    day = given or report_date(source_name)
    if day is None:
        raise SourceError(
            f"No date for {source_name}: a JHU daily report's day is the MM-DD-YYYY in its "
            "name (04-12-2020.csv). Rename the file or give the date (--date 2020-04-12)."
        )
    return day


def not_a_place(fields: list[str], column: dict[str, int]) -> bool:
    names = {
        fields[column["Province_State"]].strip().lower(),
        fields[column["Admin2"]].strip().lower(),
    }
    return bool(names & NOT_PLACES)


def parse(lines: Iterable[str], day: date) -> Iterator[Row | Rejection | Skipped]:
    """Rows of US counties on `day`; rows of other countries come out as Skipped."""
    header, rows = records(
        lines, "The file is empty: a JHU daily report starts with FIPS,Admin2,..."
    )
    column = check_header(header, REQUIRED, "JHU daily report")
    for line, fields in rows:
        if fields[column["Country_Region"]].strip() != "US" or not_a_place(fields, column):
            yield Skipped(line)
            continue
        try:
            confirmed = parse_count(fields[column["Confirmed"]], "Confirmed")
            deaths = parse_count(fields[column["Deaths"]], "Deaths", required=False)
        except CountError as error:
            yield Rejection(line, error.reason, str(error))
            continue
        yield Row(
            line,
            day,
            fields[column["Province_State"]],
            fields[column["Admin2"]],
            fields[column["FIPS"]],
            confirmed,
            deaths,
        )
