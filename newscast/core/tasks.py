"""Housekeeping jobs of the core app."""

from datetime import timedelta

from django.utils import timezone
from django.utils.module_loading import import_string
from huey.contrib.djhuey import db_task, on_startup

from newscast.core.jobs import interrupted_runs_mark, periodic_job
from newscast.core.models import JobRun
from newscast.core.task_bulk import wagtail_tasks_bulk_run

# Long enough to look back over a bad week, short enough that the table stays small.
JOB_RUN_RETENTION = timedelta(days=14)


def job_runs_prune(now=None) -> int:
    """Delete job records older than JOB_RUN_RETENTION; returns how many went."""
    cutoff = (now or timezone.now()) - JOB_RUN_RETENTION
    deleted, _ = JobRun.objects.filter(started_at__lt=cutoff).delete()
    return deleted


# Nightly, with two hours' grace.
@periodic_job(
    "core_prune_job_runs",
    every="daily at 03:17",
    fresh_within=timedelta(hours=26),
    minute="17",
    hour="3",
)
def prune_job_runs():
    return f"deleted {job_runs_prune()} old job records"


# At the start of each of nginx's 10-minute folders for baked pages (the first 15
# characters of its local ISO time), so a rebaked file serves its whole 10 minutes.
@periodic_job(
    "edge_rebake_front",
    every="every 10 minutes",
    fresh_within=timedelta(minutes=30),
    minute="*/10",
)
def edge_rebake_front():
    # Here, not above: core.edge's tasks load the task backend, which loads this module.
    from newscast.core.edge import hot_pages_rebake

    return hot_pages_rebake()


@on_startup()
def mark_interrupted_runs():
    """A worker starting (after a crash or a restart) closes the runs its predecessor left."""
    interrupted_runs_mark()


@db_task(retries=2, retry_delay=5)
def wagtail_task_run(module_path: str, args: list, kwargs: dict):
    """Run a django-tasks task (Wagtail's search or reference indexing) in the worker; queued
    by core.task_backend.HueyTaskBackend."""
    return import_string(module_path).call(*args, **kwargs)


@db_task(retries=2, retry_delay=5)
def wagtail_tasks_run(tasks: list):
    """Run a batch of django-tasks tasks in one go (search indexed in bulk, references in one
    transaction); queued by core.task_backend.index_updates_batched."""
    return wagtail_tasks_bulk_run(tasks)
