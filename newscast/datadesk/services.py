"""Writes of the data desk: loading a source into a dataset, and the nightly schedule."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from newscast.core.geography.reference import geography_ensure, places
from newscast.core.http import FetchError
from newscast.core.models import County
from newscast.core.timefmt import station_datetime, station_zone
from newscast.core.validators import validate_http_url
from newscast.datadesk.models import CountyDay, Dataset, LoadRun, SourceFormat
from newscast.datadesk.pipeline.first_load import first_load
from newscast.datadesk.pipeline.match import DAY_FACTOR, Batch, Flag, Limits, rows_match
from newscast.datadesk.pipeline.read import SourceText, is_url, source_open
from newscast.datadesk.pipeline.states import (
    StateBatch,
    state_parse,
    state_rows_match,
    state_rows_write,
)
from newscast.datadesk.pipeline.store import batch_store, state_index_ensure
from newscast.datadesk.sources import SourceError, generic, jhu, nyt

logger = logging.getLogger(__name__)


class LoadRefused(Exception):
    """The load was refused whole; nothing served changed. The LoadRun says why."""

    def __init__(self, run: LoadRun):
        super().__init__(run.message)
        self.run = run


# A load still "running" after this long is taken as interrupted whatever its process says:
# a full NYT history takes about a minute, and a process id may have been reused.
LOAD_TIME_LIMIT = timedelta(hours=3)
HOST = socket.gethostname()
MISSING_NAMED = 20  # counties named in the "missing on the last day" warning


def source_parse(
    text: SourceText, source_format: str, dataset: Dataset, report_day: date | None = None
) -> Iterable:
    """The format's parser over the source's lines."""
    if source_format == SourceFormat.NYT:
        return nyt.parse(text.lines)
    if source_format == SourceFormat.JHU:
        day = jhu.report_day(text.name, report_day)
        return jhu.parse(text.lines, day)
    if source_format == SourceFormat.CSV:
        return generic.parse(text.lines, dataset.column_mapping, dataset.date_format)
    raise SourceError(f"Unknown format {source_format!r}: use nyt, jhu or csv.")


# The credit a dataset created from the command line starts with, per format: the sources'
# own names, pages and licences (each repository's LICENSE and README).
KNOWN_SOURCES = {
    SourceFormat.NYT: (
        "The New York Times",
        "https://github.com/nytimes/covid-19-data",
        "CC BY-NC 4.0 (Creative Commons Attribution-NonCommercial 4.0 International)",
    ),
    SourceFormat.JHU: (
        "COVID-19 Data Repository by the Center for Systems Science and Engineering (CSSE) "
        "at Johns Hopkins University",
        "https://github.com/CSSEGISandData/COVID-19",
        "CC BY 4.0 (Creative Commons Attribution 4.0 International)",
    ),
}


def dataset_for_load(slug: str, name: str, location: str, source_format: str | None) -> Dataset:
    """The dataset with this slug, created first when there is none (`dataset_add`), with the
    location as its nightly source when it is a URL."""
    existing = Dataset.objects.filter(slug=slug).first()
    if existing:
        return existing
    return dataset_add(
        slug=slug,
        name=name,
        source_format=source_format or SourceFormat.NYT,
        source_url=location if is_url(location) else "",
        nightly=is_url(location),
    )


def station_today() -> date:
    """Today in station time (the station settings' zone, else TIME_ZONE)."""
    return timezone.now().astimezone(station_zone()).date()


def dataset_load(
    dataset: Dataset,
    location: str | None = None,
    source_format: str | None = None,
    report_day: date | None = None,
    queued: LoadRun | None = None,
) -> LoadRun:
    """Load a file or URL into the dataset; return the load record.

    Raises LoadRefused when another load of the dataset is running, or the source is
    unreadable, not whole (a line cut short, an unclosed quote), has a wrong header, or
    rejects more than the dataset's share of rows: then no row changes and the last good
    data stays served. `report_day` is the day of a JHU daily report whose name has none.
    Any other error is recorded as a failed load and re-raised; a load stopped by a signal
    (Ctrl-C) is recorded as interrupted. `queued` is the record of a "Load now" (load_queue):
    it becomes this load's record.
    """
    location = location or dataset.source
    source_format = source_format or dataset.source_format
    run = run_start(dataset, location, source_format, queued)
    started = time.monotonic()
    refusal: Exception | None = None
    try:
        if not location:
            raise SourceError(f"{dataset} has no source: set its URL or file in the admin.")
        batch_load(run, dataset, location, source_format, report_day)
    except (SourceError, FetchError) as error:
        run.outcome, run.message = LoadRun.Outcome.REFUSED, str(error)
        refusal = error
    except UnicodeDecodeError as error:
        # Read lazily while parsing, so it surfaces here: an unreadable file, not a bug.
        run.outcome, run.message = LoadRun.Outcome.REFUSED, not_utf8_message(error)
        refusal = error
    except Exception as error:
        run.outcome, run.message = LoadRun.Outcome.FAILED, f"{type(error).__name__}: {error}"
        run_finish(run, started)
        logger.exception("Load of %s into %s failed", location, dataset)
        raise
    except BaseException:
        run.outcome, run.message = LoadRun.Outcome.INTERRUPTED, INTERRUPTED_MESSAGE
        run_finish(run, started)
        raise
    run_finish(run, started)
    if run.outcome == LoadRun.Outcome.REFUSED:
        logger.warning("Load of %s into %s refused: %s", location, dataset, run.message)
        # Chained, so the jobs layer can tell a source that is down (FetchError) from a bug.
        raise LoadRefused(run) from refusal
    return run


INTERRUPTED_MESSAGE = (
    "Stopped before it finished. On PostgreSQL nothing was written; on SQLite some rows may "
    "have been: load the same source again to complete them."
)


def batch_load(run: LoadRun, dataset: Dataset, location, source_format, report_day) -> None:
    """Read, check, match and write the source, filling in the load record."""
    geography_ensure()
    limits = Limits(last_day=station_today(), ceiling=dataset.count_ceiling)
    with source_open(location) as text:
        run.checksum = text.checksum
        state_rows = state_parse(text, source_format, report_day)
        if state_rows is not None:
            states = state_rows_match(state_rows, places(), limits)
            whole_check(text)
            state_batch_load(run, dataset, states)
            return
        # A first history on PostgreSQL is written while it is read (pipeline/first_load.py).
        with first_load(dataset.pk, places().state_by_county) as first:
            parsed = source_parse(text, source_format, dataset, report_day)
            batch = rows_match(parsed, places(), limits, first.add if first else None)
            if first is not None:
                first.close()  # the COPY ends before any other query
            whole_check(text)
            county_batch_load(run, dataset, batch, first)


def whole_check(text: SourceText) -> None:
    """After parsing, so a file that is not text or has the wrong header is told so first."""
    if text.cut_line:
        raise SourceError(
            f"Line {text.cut_line}, the last, has no line break at its end: the file was "
            "cut off, perhaps mid-value. Nothing was changed; download it again."
        )


def county_batch_load(run: LoadRun, dataset: Dataset, batch: Batch, first) -> None:
    """Check the matched county rows against the dataset's rules and store them."""
    missing_days_warn(dataset, batch, stored=first is None)
    batch_record(run, batch)
    too_many = batch_refusal(batch, dataset.max_rejected_share)
    if too_many:
        raise SourceError(too_many)
    if first is not None:
        changes = first.complete(batch)
    else:
        state_index_ensure()
        changes = batch_store(dataset.pk, batch, places().state_by_county)
    run.rows_added, run.rows_changed = changes.added, changes.changed
    run.rows_unchanged, run.rows_revised_down = changes.unchanged, changes.revised_down
    run.corrections = changes.corrections
    run.outcome = LoadRun.Outcome.SUCCESS


def state_batch_load(run: LoadRun, dataset: Dataset, states: StateBatch) -> None:
    """A state-level file: the states' own totals, stored beside the county figures."""
    batch_record(run, states.tally)
    if states.rows:
        run.first_date = min(day for _, day in states.rows)
        run.last_date = max(day for _, day in states.rows)
    too_many = batch_refusal(states.tally, dataset.max_rejected_share)
    if too_many:
        raise SourceError(too_many)
    run.rows_added, run.rows_changed, run.rows_unchanged = state_rows_write(dataset.pk, states)
    run.outcome = LoadRun.Outcome.SUCCESS


def run_start(
    dataset: Dataset, location: str, source_format: str, queued: LoadRun | None = None
) -> LoadRun:
    """The record of a new load, marked running; LoadRefused if another load of the dataset
    is running (a unique constraint makes the check and the claim one step). A queued
    "Load now" record still waiting (or shown as lost) becomes the running one."""
    runs_interrupted_mark(dataset)
    fields = {
        "dataset": dataset,
        "source": location or "(none)",
        "source_format": source_format,
        "started_at": timezone.now(),
    }
    waiting = LoadRun.objects.filter(
        pk=queued.pk if queued else None, outcome=LoadRun.Outcome.QUEUED
    )
    try:
        with transaction.atomic():
            claimed = waiting.update(
                **fields, outcome=LoadRun.Outcome.RUNNING, host=HOST, pid=os.getpid()
            )
            if claimed:
                return LoadRun.objects.get(pk=queued.pk)
            return LoadRun.objects.create(**fields, host=HOST, pid=os.getpid())
    except IntegrityError:
        other = LoadRun.objects.filter(dataset=dataset, outcome=LoadRun.Outcome.RUNNING).first()
        since = station_datetime(other.started_at) if other else "a moment ago"
        message = (
            f"Another load of {dataset} has been running since {since}: nothing was changed. "
            "Load again when it has finished (admin: Data loads)."
        )
        refused = {"outcome": LoadRun.Outcome.REFUSED, "message": message}
        if waiting.update(**fields, **refused, finished_at=timezone.now()):
            run = LoadRun.objects.get(pk=queued.pk)
        else:
            run = LoadRun.objects.create(**fields, **refused, finished_at=timezone.now())
        logger.warning("Load of %s into %s refused: %s", location, dataset, message)
        raise LoadRefused(run) from None


def load_queue(dataset: Dataset) -> LoadRun:
    """The record of an editor's "Load now", before it goes to the worker: so a load the
    queue loses is seen as lost (LoadRun.lost) instead of never having been asked for."""
    now = timezone.now()
    return LoadRun.objects.create(
        dataset=dataset,
        source=dataset.source or "(none)",
        source_format=dataset.source_format,
        queued_at=now,
        started_at=now,
        outcome=LoadRun.Outcome.QUEUED,
    )


def load_unqueue(run: LoadRun, why: str) -> None:
    """The queue refused the "Load now" (Redis down): its record says it never went."""
    LoadRun.objects.filter(pk=run.pk, outcome=LoadRun.Outcome.QUEUED).update(
        outcome=LoadRun.Outcome.FAILED, message=why, finished_at=timezone.now()
    )


def runs_interrupted_mark(dataset: Dataset) -> int:
    """Mark the dataset's "running" loads whose process is gone (or that passed the time
    limit) as interrupted; return how many."""
    marked = 0
    too_old = timezone.now() - LOAD_TIME_LIMIT
    for run in LoadRun.objects.filter(dataset=dataset, outcome=LoadRun.Outcome.RUNNING):
        gone = run.host == HOST and run.pid is not None and not process_alive(run.pid)
        if gone or run.started_at < too_old:
            run.outcome, run.message = LoadRun.Outcome.INTERRUPTED, INTERRUPTED_MESSAGE
            run.save(update_fields=["outcome", "message"])
            marked += 1
    return marked


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def missing_days_warn(dataset: Dataset, batch: Batch, stored: bool = True) -> None:
    """Warn of counties that have a figure the day before the batch's last day (in the batch
    or, unless `stored` is False (a first load), stored) and none on it: a county that
    vanished from the source."""
    if not len(batch):
        return
    last = batch.last_day.toordinal()
    keys = batch.keys
    on_last = {key // DAY_FACTOR for key in keys if key % DAY_FACTOR == last}
    before = {key // DAY_FACTOR for key in keys if key % DAY_FACTOR == last - 1}
    day_before = date.fromordinal(last - 1)
    # Naming every state lets the (dataset, state, date) index find the day; on the date
    # alone the database reads the dataset's whole history, which grows every night.
    if stored:
        every_state = set(places().state_by_county.values())
        before.update(
            CountyDay.objects.filter(
                dataset=dataset, state_id__in=every_state, date=day_before
            ).values_list("county_id", flat=True)
        )
    missing = sorted(before - on_last)
    if not missing:
        return
    counties = County.objects.select_related("state").in_bulk(missing[:MISSING_NAMED])
    names = ", ".join(str(counties[county_id]) for county_id in missing[:MISSING_NAMED])
    more = f" and {len(missing) - MISSING_NAMED:,} more" if len(missing) > MISSING_NAMED else ""
    batch.warn(
        None,
        Flag.MISSING,
        f"{len(missing):,} counties had a figure on {day_before} but none on "
        f"{date.fromordinal(last)}: {names}{more}. Their last figure is carried forward.",
    )


def not_utf8_message(error: UnicodeDecodeError) -> str:
    byte = error.object[error.start : error.start + 1].hex()
    return (
        f"The file is not UTF-8 text (it has the byte 0x{byte}, which UTF-8 does not allow): "
        "it may be a spreadsheet or another encoding. Save it as CSV (UTF-8) and load it again. "
        "Nothing was changed."
    )


def batch_record(run: LoadRun, batch: Batch) -> None:
    run.rows_read, run.rows_skipped = batch.rows_read, batch.rows_skipped
    run.rows_rejected = batch.rows_rejected
    run.rejection_counts = dict(batch.rejection_counts)
    run.rejections = batch.rejections
    run.warning_counts = dict(batch.warning_counts)
    run.warnings = batch.warnings
    if len(batch):
        run.first_date, run.last_date = batch.first_day, batch.last_day


def batch_refusal(batch: Batch, max_share: Decimal) -> str:
    """Why the batch must be refused whole, or "" when it may be stored."""
    if batch.rows_read == 0:
        return "The source has a header but no rows."
    share = batch.rows_rejected / batch.rows_read
    if share > float(max_share):
        reasons = ", ".join(f"{n:,} {reason}" for reason, n in batch.rejection_counts.items())
        return (
            f"Refused: {batch.rows_rejected:,} of {batch.rows_read:,} rows ({share:.1%}) were "
            f"rejected ({reasons}), over the dataset's limit of {float(max_share):.1%}. "
            "Nothing was changed; fix the source or raise the limit in the admin."
        )
    return ""


def run_finish(run: LoadRun, started: float) -> None:
    run.finished_at = timezone.now()
    run.duration = round(time.monotonic() - started, 3)
    run.save()


def datasets_due(local_now) -> list[Dataset]:
    """Nightly datasets whose load hour is the hour of `local_now` (station time), with a source."""
    due = Dataset.objects.filter(nightly=True, load_hour=local_now.hour)
    return [dataset for dataset in due if dataset.source]


def dataset_add(
    *, slug: str, name: str, source_format: str, source_url: str = "", nightly: bool | None = None
) -> Dataset:
    """A new dataset with the admin's defaults (nightly at 02:00, the station's covered states)
    and, for the NYT and JHU formats, their source credit. `newscast data add`, and
    `data load --create` through `dataset_for_load`, both make datasets here.

    Raises django.core.exceptions.ValidationError (a taken or malformed slug, a URL that is
    not http(s), an unknown format) and writes nothing then. It has no rows until a load.
    """
    credit = KNOWN_SOURCES.get(source_format, ("", "", ""))
    dataset = Dataset(
        slug=slug.strip(),
        name=name.strip(),
        source_format=source_format,
        source_url=source_url.strip(),
        source_name=credit[0],
        source_link=credit[1],
        source_terms=credit[2],
    )
    if nightly is not None:
        dataset.nightly = nightly
    # The model's default is the float 0.05; the admin form reads it as the decimal "0.05".
    dataset.max_rejected_share = Decimal(str(dataset.max_rejected_share))
    dataset.full_clean()
    if dataset.source_url:
        validate_http_url(dataset.source_url, "source_url")
    dataset.save()
    logger.info("datadesk: dataset %s added (%s)", dataset.slug, dataset.source_format)
    return dataset
