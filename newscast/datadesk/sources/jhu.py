"""JHU CSSE COVID-19 daily reports (csse_covid_19_daily_reports/MM-DD-YYYY.csv), 22 March 2020 on.

Header: FIPS,Admin2,Province_State,Country_Region,Last_Update,Lat,Long_,Confirmed,Deaths,
Recovered,Active,Combined_Key (later files add Incident_Rate,Case_Fatality_Ratio). One file
is one day for the whole world; we keep Country_Region "US" and skip its rows that are not
places (national "Recovered", the cruise ships). The file's day is in its name;
without one (a renamed upload) it is the date of the latest Last_Update. Earlier reports
(before 22 March 2020) have no counties and are refused by their header.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from newscast.datadesk.sources import (
    CountError,
    Reason,
    Rejection,
    Row,
    Skipped,
    SourceError,
    check_header,
    parse_count,
)

REQUIRED = ["FIPS", "Admin2", "Province_State", "Country_Region", "Last_Update"]
REQUIRED += ["Confirmed", "Deaths"]
# US rows that are not places: national recoveries, cruise ships and evacuee flights.
NOT_PLACES = {"recovered", "diamond princess", "grand princess", "wuhan evacuee", "us"}
FILE_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})\.csv")


def report_date(source_name: str) -> date | None:
    """The day a daily report covers, from its name ("04-12-2020.csv" -> 2020-04-12)."""
    match = FILE_DATE.search(source_name)
    if not match:
        return None
    month, day, year = (int(part) for part in match.groups())
    return date(year, month, day)


def last_update_date(text: str) -> date | None:
    # JHU wrote "2020-04-12 23:18:15" and, on some days, "4/12/20 23:18".
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%m/%d/%y %H:%M", "%m/%d/%Y %H:%M"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def not_a_place(fields: list[str], column: dict[str, int]) -> bool:
    names = {
        fields[column["Province_State"]].strip().lower(),
        fields[column["Admin2"]].strip().lower(),
    }
    return bool(names & NOT_PLACES)


def parse(lines: Iterable[str], source_name: str = "") -> Iterator[Row | Rejection | Skipped]:
    """Rows of US counties; rows of other countries come out as Skipped."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise SourceError("The file is empty: a JHU daily report starts with FIPS,Admin2,...")
    header = [name.lstrip("\ufeff") for name in header]
    column = check_header(header, REQUIRED, "JHU daily report")
    day = report_date(source_name)
    rows: list[tuple[int, list[str]]] = []
    for fields in reader:
        if not fields:
            continue
        if fields[column["Country_Region"]].strip() != "US" or not_a_place(fields, column):
            yield Skipped(reader.line_num)
            continue
        rows.append((reader.line_num, fields))
    if day is None:
        updates = [last_update_date(fields[column["Last_Update"]]) for _, fields in rows]
        day = max((when for when in updates if when), default=None)
    for line, fields in rows:
        if day is None:
            yield Rejection(line, Reason.BAD_DATE, "no date in the file name or Last_Update")
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
