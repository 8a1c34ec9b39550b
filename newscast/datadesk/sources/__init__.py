"""Source formats: each module turns a CSV's lines into rows or rejections, nothing else.

Parsing is pure (text in, tuples out) so it is tested on recorded files. A parser yields

    Row(line, date, state, county, fips, confirmed, deaths)   for a usable row, or
    Rejection(line, reason, detail)                          for a row it cannot use,
    Skipped(line)                                             for a row outside our scope,

and raises SourceError when the file as a whole is not what the format promises (a wrong
header). Place names are matched to the reference geography later, by the load service.
Rows are plain named tuples because a full NYT history is millions of them.
"""

from __future__ import annotations

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
    if text.isdigit() and len(text) < 10:  # the common case first: millions of rows
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
    missing = [column for column in required if column not in names]
    if missing:
        raise SourceError(
            f"Wrong header for the {fmt_name} format: missing column(s) {', '.join(missing)}. "
            f"The file's header is: {','.join(names)[:300]}"
        )
    return {column: names.index(column) for column in required}
