"""Scheduled job: the nightly load of every dataset whose load hour (station time) has come."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from huey.contrib.djhuey import db_task

from newscast.core.jobs import periodic_job
from newscast.core.timefmt import station_zone
from newscast.datadesk.models import Dataset, LoadRun
from newscast.datadesk.services import LoadRefused, dataset_load, datasets_due

logger = logging.getLogger(__name__)


class NightlyLoadRefused(Exception):
    """At least one dataset's load was refused: the job run is recorded as failed."""


def nightly_loads(now=None) -> str:
    """Load each dataset due this hour and return a summary.

    A refused load keeps that dataset's last good data; the others still load. Refusals then
    raise NightlyLoadRefused, so the job run shows as failed in the admin and /healthz.
    """
    local = timezone.localtime(now or timezone.now(), station_zone())
    lines, refused = [], None
    for dataset in datasets_due(local):
        try:
            run = dataset_load(dataset)
        except LoadRefused as error:
            lines.append(f"{dataset.slug}: refused: {error.run.message}")
            refused = error
            continue
        lines.append(
            f"{dataset.slug}: {run.rows_added:,} added, {run.rows_changed:,} changed, "
            f"{run.rows_rejected:,} rejected"
        )
    if refused:
        # Chained: a source that is down (FetchError) is logged by the jobs layer in one line.
        raise NightlyLoadRefused("\n".join(lines)) from refused
    return "\n".join(lines) or f"No dataset is due at {local:%H}:00 station time."


# Every hour on the hour: each dataset names its own hour (2:00 station time by default).
# Asked hourly, loads each dataset once a night (its hour, station time); two hours' grace.
@periodic_job(
    "datadesk_nightly", every="hourly at :00", fresh_within=timedelta(hours=26), minute="0"
)
def datadesk_nightly():
    return nightly_loads()


@db_task()
def dataset_load_now(dataset_id: int, run_id: int | None = None) -> str:
    """An editor's "Load now" from the admin: the dataset's own source, in the worker.

    `run_id` is the queued record the admin made (services.load_queue); it becomes this
    load's record. Tasks queued before there were such records come without one.
    """
    dataset = Dataset.objects.get(pk=dataset_id)
    queued = LoadRun.objects.filter(pk=run_id).first() if run_id else None
    try:
        run = dataset_load(dataset, queued=queued)
    except LoadRefused as refused:
        return f"{dataset.slug}: refused: {refused.run.message}"
    return f"{dataset.slug}: {run.rows_added:,} added, {run.rows_changed:,} changed"
