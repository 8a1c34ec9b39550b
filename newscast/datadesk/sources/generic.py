"""Any CSV of county cumulative counts, read through the column mapping set in the admin."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from newscast.datadesk.sources import (
    CountError,
    DateReader,
    Reason,
    Rejection,
    Row,
    SourceError,
    check_header,
    parse_count,
    records,
)


def parse(
    lines: Iterable[str], mapping: dict[str, str], date_format: str = "%Y-%m-%d"
) -> Iterator[Row | Rejection]:
    """mapping: our field ("date", "state", "county", "fips", "confirmed", "deaths") -> column.

    date, state and confirmed are required, and county or fips; the rest may be blank.
    """
    if not (mapping.get("date") and mapping.get("state") and mapping.get("confirmed")):
        raise SourceError("The column mapping needs the date, state and confirmed columns.")
    if not (mapping.get("county") or mapping.get("fips")):
        raise SourceError("The column mapping needs a county column, a FIPS column, or both.")
    header, rows = records(lines, "The file is empty.")
    wanted = [column for column in mapping.values() if column]
    index = check_header(header, wanted, "mapped CSV")
    read_date = DateReader(date_format or "%Y-%m-%d")

    def cell(fields: list[str], field: str) -> str:
        column = mapping.get(field)
        if not column:
            return ""
        return fields[index[column]]

    for line, fields in rows:
        try:
            when = read_date(cell(fields, "date"))
        except ValueError:
            yield Rejection(line, Reason.BAD_DATE, f"date is {cell(fields, 'date')!r}")
            continue
        try:
            confirmed = parse_count(cell(fields, "confirmed"), mapping["confirmed"])
            deaths = parse_count(
                cell(fields, "deaths"), mapping.get("deaths") or "deaths", required=False
            )
        except CountError as error:
            yield Rejection(line, error.reason, str(error))
            continue
        yield Row(
            line,
            when,
            cell(fields, "state"),
            cell(fields, "county"),
            cell(fields, "fips"),
            confirmed,
            deaths,
        )
