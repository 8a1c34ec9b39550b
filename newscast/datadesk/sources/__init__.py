"""Source formats: each module turns a CSV's lines into rows or rejections, nothing else.

Parsing is pure (text in, tuples out) so it is tested on recorded files. A parser yields

    Row(line, date, state, county, fips, confirmed, deaths)   for a usable row, or
    Rejection(line, reason, detail)                          for a row it cannot use,
    Skipped(line)                                             for a row outside our scope,

and raises SourceError when the file as a whole is not what the format promises (a wrong
header, or a file that is not whole: see `records`). Place names are matched to the
reference geography later, by the load service.
Rows are plain named tuples because a full NYT history is millions of them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import NamedTuple

# Counts are stored as 32-bit integers (PositiveIntegerField on both databases).
MAX_COUNT = 2_147_483_647


class Reason:
    """Why a row was rejected: the words the load report and the admin show."""

    BAD_DATE = "bad date"
    NOT_A_NUMBER = "count is not a number"
    NEGATIVE = "negative count"
    UNKNOWN_PLACE = "unknown place"
    DUPLICATE = "duplicate row"
    FUTURE_DATE = "date after today"
    OVER_CEILING = "count above the dataset's ceiling"


class SourceError(Exception):
    """The whole file is unusable (for example a wrong header); the message says how to fix it."""


class Row(NamedTuple):
    line: int
    date: date
    state: str
    county: str
    fips: str
    confirmed: int
    deaths: int | None


class StateRow(NamedTuple):
    """A state's own reported totals on a day (a state-level file)."""

    line: int
    date: date
    state: str
    confirmed: int
    deaths: int | None


class Rejection(NamedTuple):
    line: int
    reason: str
    detail: str


class Skipped(NamedTuple):
    """A row the format says to leave out (JHU's rows for other countries); not an error."""

    line: int


class CountError(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def parse_count(text: str, column: str, *, required: bool = True) -> int | None:
    """A cumulative count: a whole number, 0 or more. "12.0" is accepted (JHU writes floats)."""
    if text.isdecimal() and len(text) < 10:  # the common case first: millions of rows
        return int(text)
    text = text.strip()
    if not text:
        if required:
            raise CountError(Reason.NOT_A_NUMBER, f"{column} is blank")
        return None
    try:
        value = int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            raise CountError(Reason.NOT_A_NUMBER, f"{column} is {text!r}") from None
        if not number.is_integer():
            raise CountError(Reason.NOT_A_NUMBER, f"{column} is {text!r}") from None
        value = int(number)
    if value < 0:
        raise CountError(Reason.NEGATIVE, f"{column} is {value}")
    if value > MAX_COUNT:
        raise CountError(Reason.NOT_A_NUMBER, f"{column} is {value}, too large for a count")
    return value


class DateReader:
    """Parses dates in one format, remembering each distinct text (a history repeats ~1,000)."""

    def __init__(self, fmt: str = "%Y-%m-%d"):
        self.fmt = fmt
        self.seen: dict[str, date] = {}

    def __call__(self, text: str) -> date:
        try:
            return self.seen[text]
        except KeyError:
            parsed = (
                date.fromisoformat(text)
                if self.fmt == "%Y-%m-%d"
                else datetime.strptime(text.strip(), self.fmt).date()
            )
            self.seen[text] = parsed
            return parsed


def check_header(header: list[str], required: list[str], fmt_name: str) -> dict[str, int]:
    """Index of each required column; SourceError naming the missing ones otherwise."""
    names = [name.strip() for name in header]
    if any(column not in names for column in required):
        raise SourceError(
            f"Wrong header for the {fmt_name} format: {header_problem(names, required)}"
        )
    return {column: names.index(column) for column in required}


def header_problem(header: list[str], expected: list[str]) -> str:
    """What is wrong with a header, told in the expected columns' names and in counts.

    The header is the source's own text: for a URL, whatever its server answered (an error
    page, an internal service's reply). It is never repeated in a message, which reaches
    logs, the CLI and the job summaries (docs/production.md, "Error messages").
    """
    names = [name.strip() for name in header]
    first = (names[0][:1] if names else "") or " "
    kind = ""
    if first == "<":
        kind = "its first line looks like an HTML or XML page, not a CSV header; "
    elif first in "{[":
        kind = "its first line looks like JSON, not a CSV header; "
    missing = [column for column in expected if column not in names]
    if missing:
        what = f"missing column(s) {', '.join(missing)}"
    else:
        misplaced = [c for i, c in enumerate(expected) if i >= len(names) or names[i] != c]
        what = f"column(s) {', '.join(misplaced)} not in their expected place"
    return (
        f"{kind}{what} (expected {','.join(expected)}; the file's first line has "
        f"{len(names)} field(s)). Nothing was changed."
    )


def records(lines: Iterable[str], empty: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header, then (line number, fields) of each non-blank row, read strictly.

    A file that is not whole is refused, not half-loaded: SourceError, naming the line, for a
    row with more or fewer fields than the header (a line cut short), a quote that is never
    closed, or a field over the csv module's size limit. `empty` is the message for a file
    with no header at all.
    """
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise SourceError(f"Line 1 (the header) is not valid CSV: {error}.") from None
    if header is None:
        raise SourceError(empty)
    header = [name.strip().lstrip("\ufeff") for name in header]
    return header, strict_rows(reader, len(header))


def strict_rows(reader, width: int) -> Iterator[tuple[int, list[str]]]:
    end = 1  # the last line of the last good row
    try:
        for fields in reader:
            if len(fields) != width:
                if not fields:  # a blank line
                    end = reader.line_num
                    continue
                raise SourceError(
                    f"Line {reader.line_num} has {len(fields)} fields where the header has "
                    f"{width}: the file may be cut off or damaged. Nothing was changed."
                )
            end = reader.line_num
            yield end, fields
    except csv.Error as error:
        raise SourceError(csv_problem(end + 1, str(error))) from None


def csv_problem(line: int, error: str) -> str:
    if "unexpected end of data" in error:
        return (
            f"Line {line} opens a quote that is never closed: the file may be cut off. "
            "Nothing was changed."
        )
    return f"Line {line} is not valid CSV ({error}). Nothing was changed."
