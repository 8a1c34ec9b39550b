"""State-level files: the states' own reported totals (the NYT's us-states.csv, JHU's daily
US report), matched to states and stored as StateDay rows.

Small files (56 places a day), so plain dicts and one upsert; the same strict reading,
date rule and refusal share as county files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import chain

from django.db import transaction

from newscast.core.geography.reference import Places
from newscast.datadesk.models import StateDay
from newscast.datadesk.pipeline.match import Batch, Limits
from newscast.datadesk.pipeline.read import SourceText
from newscast.datadesk.sources import Reason, Rejection, StateRow, jhu, nyt


def state_parse(text: SourceText, source_format: str, report_day: date | None):
    """The state rows of a state-level file, or None when the file is a county file.

    Peeks at the header, then hands the parser the header and the rest of the lines.
    """
    header_line = text.lines.readline()
    header = [name.strip().lstrip("\ufeff") for name in header_line.split(",")]
    lines = chain([header_line], text.lines) if header_line else text.lines  # empty: as is
    text.lines = lines  # the county parser, if it is one, reads from the header again
    if source_format == "nyt" and nyt.is_state_file(header):
        return nyt.parse_states(lines)
    if source_format == "jhu" and jhu.is_state_file(header):
        day = jhu.report_day(text.name, report_day)
        return jhu.parse_states(lines, day)
    return None


@dataclass
class StateBatch:
    """The usable state rows by (state id, date), and the counts the load record keeps."""

    rows: dict[tuple[int, date], StateRow]
    tally: Batch  # rows read, skipped, rejected: the county load's bookkeeping


def state_rows_match(
    parsed: Iterable[StateRow | Rejection], places: Places, limits: Limits
) -> StateBatch:
    """Match rows to states. Places outside the 50 states and DC (territories, cruise ships,
    JHU's "Recovered") are skipped, as a county file's other countries are."""
    tally = Batch()
    rows: dict[tuple[int, date], StateRow] = {}
    for item in parsed:
        if isinstance(item, Rejection):
            tally.rows_read += 1
            tally.reject(*item)
            continue
        state_id = places.state_id(item.state)
        if state_id is None:
            tally.rows_skipped += 1
            continue
        tally.rows_read += 1
        if item.date > limits.last_day:
            tally.reject(item.line, Reason.FUTURE_DATE, f"{item.date} is after {limits.last_day}")
        elif (state_id, item.date) in rows:
            tally.reject(item.line, Reason.DUPLICATE, f"{item.state} on {item.date}")
        else:
            rows[(state_id, item.date)] = item
    return StateBatch(rows, tally)


def state_rows_write(dataset_id: int, batch: StateBatch) -> tuple[int, int, int]:
    """Upsert the rows in one short transaction; (added, changed, unchanged)."""
    if not batch.rows:
        return 0, 0, 0
    days = [day for _, day in batch.rows]
    stored = {
        (state_id, day): (confirmed, deaths)
        for state_id, day, confirmed, deaths in StateDay.objects.filter(
            dataset_id=dataset_id, date__gte=min(days), date__lte=max(days)
        ).values_list("state_id", "date", "confirmed", "deaths")
    }
    added = changed = unchanged = 0
    writes = []
    for (state_id, day), row in batch.rows.items():
        before = stored.get((state_id, day))
        if before == (row.confirmed, row.deaths):
            unchanged += 1
            continue
        added, changed = (added + 1, changed) if before is None else (added, changed + 1)
        writes.append(
            StateDay(
                dataset_id=dataset_id,
                state_id=state_id,
                date=day,
                confirmed=row.confirmed,
                deaths=row.deaths,
            )
        )
    with transaction.atomic():
        StateDay.objects.bulk_create(
            writes,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["dataset", "state", "date"],
            update_fields=["confirmed", "deaths"],
        )
    return added, changed, unchanged
