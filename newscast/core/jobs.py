"""Scheduled jobs that run once per slot however many workers there are, and leave a record.

Every desk declares each periodic job once, with `periodic_job(name, every=..., fresh_within=...,
**crontab)`: that makes the Huey periodic task, wraps it in `scheduled_job(name)` and enters
it in JOBS, the registry /healthz, /metrics and the admin's Scheduled jobs screen read.

Each worker's scheduler enqueues periodic tasks on its own, so with two workers a nightly
load would run twice; claiming the (job, minute) row in the database makes the second one a
no-op. The record also feeds /healthz and the admin ("last successful wire poll").

A worker killed mid-run leaves its record unfinished; the next claim of that job (and every
worker's start) marks such records "interrupted" once their worker process is gone, so the
admin and /healthz show the break instead of a run that seems to go on for ever.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from newscast.core.http import FetchError
from newscast.core.models import JobRun

logger = logging.getLogger(__name__)


def current_slot(now: datetime | None = None) -> datetime:
    """The scheduled minute a run belongs to."""
    return (now or timezone.now()).replace(second=0, microsecond=0)


def worker_alive(worker: str) -> bool:
    """False only for a host:pid of this machine whose process is gone (else we cannot tell)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, under another user
    return True


def interrupted_runs_mark(job: str | None = None, now: datetime | None = None) -> int:
    """Mark unfinished runs whose worker process is gone as interrupted; returns how many."""
    runs = JobRun.objects.filter(finished_at__isnull=True)
    if job is not None:
        runs = runs.filter(job=job)
    marked = 0
    for run in runs:
        if worker_alive(run.worker):
            continue
        summary = f"Interrupted: worker {run.worker} stopped before the run finished."
        marked += JobRun.objects.filter(pk=run.pk, finished_at__isnull=True).update(
            outcome=JobRun.Outcome.INTERRUPTED, finished_at=now or timezone.now(), summary=summary
        )
        logger.warning("%s: %s", run.job, summary)
    return marked


def claim(job: str, slot: datetime) -> JobRun | None:
    """Claim a slot for this worker; None when another worker already has it."""
    interrupted_runs_mark(job)
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job,
                slot=slot,
                started_at=timezone.now(),
                worker=f"{socket.gethostname()}:{os.getpid()}",
            )
    except IntegrityError:
        return None


def finish(run: JobRun, outcome: str, summary: str = "") -> None:
    run.outcome = outcome
    run.summary = summary[:10_000]
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "summary", "finished_at"])


def caused_by_upstream(exc: BaseException) -> bool:
    """True when the exception, or one it was raised from, is an outside source failing."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, FetchError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def scheduled_job(job: str):
    """Decorator: run the wrapped function at most once per slot and record its outcome.

    The function may return a short summary string. An exception is recorded as a failure.
    A bug is logged with its traceback and re-raised so Huey sees it too; an outside source
    failing (a FetchError anywhere in the chain) is logged in one line and not re-raised.
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            run = claim(job, current_slot())
            if run is None:
                logger.info("%s: this slot already ran on another worker; skipping", job)
                return None
            try:
                summary = func(*args, **kwargs)
            except Exception as exc:
                finish(run, JobRun.Outcome.FAILURE, f"{type(exc).__name__}: {exc}")
                if not caused_by_upstream(exc):
                    logger.exception("%s failed", job)
                    raise
                # An outside source being down is news for the desk, not a bug: recorded and
                # logged in one line; the last good data stays, the next slot tries again.
                logger.warning("%s failed: %s", job, exc)
                return None
            finish(run, JobRun.Outcome.SUCCESS, summary if isinstance(summary, str) else "")
            return summary

        return wrapper

    return decorate


def last_success(job: str) -> JobRun | None:
    """The latest successful run of a job, for freshness checks."""
    return (
        JobRun.objects.filter(job=job, outcome=JobRun.Outcome.SUCCESS)
        .order_by("-finished_at")
        .first()
    )


@dataclass(frozen=True)
class Job:
    """A scheduled job as the newsroom knows it: when it runs and how old its last success
    may be before /healthz calls it stale."""

    name: str
    every: str  # the schedule in words, for the admin: "every 10 minutes"
    fresh_within: timedelta
    schedule: dict = field(default_factory=dict)  # Huey crontab fields: {"minute": "*/10"}
    task: object = None  # the Huey periodic task that runs it


# Every scheduled job by name, in the order the desks declared them.
JOBS: dict[str, Job] = {}


def periodic_job(name: str, *, every: str, fresh_within: timedelta, **schedule):
    """Decorator: declare the scheduled job `name` (its Huey schedule as crontab fields, its
    freshness limit) and run the function on that schedule once per slot, recorded."""
    if name in JOBS:
        raise ValueError(f"The scheduled job {name!r} is declared twice; give it one name.")

    def decorate(func):
        task = db_periodic_task(crontab(**schedule))(scheduled_job(name)(func))
        JOBS[name] = Job(name, every, fresh_within, schedule, task)
        return task

    return decorate
