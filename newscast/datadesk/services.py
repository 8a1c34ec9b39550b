"""Writes of the data desk: loading a source into a dataset, and the nightly schedule."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from newscast.core.http import FetchError
from newscast.core.validators import validate_http_url
from newscast.datadesk.geography.reference import geography_ensure, places
from newscast.datadesk.models import Dataset, LoadRun, SourceFormat
from newscast.datadesk.pipeline.match import DAY_FACTOR, Batch, rows_match
from newscast.datadesk.pipeline.read import SourceText, source_open
from newscast.datadesk.pipeline.store import batch_compare, changes_write
from newscast.datadesk.sources import SourceError, generic, jhu, nyt

logger = logging.getLogger(__name__)


class LoadRefused(Exception):
    """The load was refused whole; nothing served changed. The LoadRun says why."""

    def __init__(self, run: LoadRun):
        super().__init__(run.message)
        self.run = run


def source_parse(text: SourceText, source_format: str, dataset: Dataset) -> Iterable:
    """The format's parser over the source's lines."""
    if source_format == SourceFormat.NYT:
        return nyt.parse(text.lines)
    if source_format == SourceFormat.JHU:
        return jhu.parse(text.lines, text.name)
    if source_format == SourceFormat.CSV:
        return generic.parse(text.lines, dataset.column_mapping, dataset.date_format)
    raise SourceError(f"Unknown format {source_format!r}: use nyt, jhu or csv.")


def dataset_load(
    dataset: Dataset, location: str | None = None, source_format: str | None = None
) -> LoadRun:
    """Load a file or URL into the dataset, atomically; return the load record.

    Raises LoadRefused when the source is unreadable, its header is wrong, or it rejects more
    than the dataset's share of rows: then no row changes and the last good data stays served.
    Any other error is recorded as a failed load and re-raised.
    """
    location = location or dataset.source
    source_format = source_format or dataset.source_format
    run = LoadRun.objects.create(
        dataset=dataset,
        source=location or "(none)",
        source_format=source_format,
        started_at=timezone.now(),
    )
    started = time.monotonic()
    refusal: Exception | None = None
    try:
        if not location:
            raise SourceError(f"{dataset} has no source: set its URL or file in the admin.")
        geography_ensure()
        with source_open(location) as text:
            run.checksum = text.checksum
            batch = rows_match(source_parse(text, source_format, dataset), places())
        batch_record(run, batch)
        too_many = batch_refusal(batch, dataset.max_rejected_share)
        if too_many:
            raise SourceError(too_many)
        with transaction.atomic():
            changes = batch_compare(dataset.pk, batch)
            changes_write(dataset.pk, batch, changes, places().state_by_county)
        run.rows_added, run.rows_changed = changes.added, changes.changed
        run.rows_unchanged, run.rows_revised_down = changes.unchanged, changes.revised_down
        run.corrections = changes.corrections
        run.outcome = LoadRun.Outcome.SUCCESS
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
    run_finish(run, started)
    if run.outcome == LoadRun.Outcome.REFUSED:
        logger.warning("Load of %s into %s refused: %s", location, dataset, run.message)
        # Chained, so the jobs layer can tell a source that is down (FetchError) from a bug.
        raise LoadRefused(run) from refusal
    return run


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
    if len(batch):
        run.first_date = date.fromordinal(min(key % DAY_FACTOR for key in batch.keys))
        run.last_date = date.fromordinal(max(key % DAY_FACTOR for key in batch.keys))


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


def dataset_add(*, slug: str, name: str, source_format: str, source_url: str = "") -> Dataset:
    """A new dataset with the admin's defaults (nightly at 02:00, the station's covered states).

    Raises django.core.exceptions.ValidationError (a taken or malformed slug, a URL that is
    not http(s), an unknown format) and writes nothing then. It has no rows until a load.
    """
    dataset = Dataset(
        slug=slug.strip(),
        name=name.strip(),
        source_format=source_format,
        source_url=source_url.strip(),
    )
    # The model's default is the float 0.05; the admin form reads it as the decimal "0.05".
    dataset.max_rejected_share = Decimal(str(dataset.max_rejected_share))
    dataset.full_clean()
    if dataset.source_url:
        validate_http_url(dataset.source_url, "source_url")
    dataset.save()
    logger.info("datadesk: dataset %s added (%s)", dataset.slug, dataset.source_format)
    return dataset
