"""Scheduled jobs that run once per slot however many workers there are, and leave a record.

Every desk's periodic Huey task is wrapped in `scheduled_job("desk_job")`. Each worker's
scheduler enqueues periodic tasks on its own, so with two workers a nightly load would run
twice; claiming the (job, minute) row in the database makes the second one a no-op. The
record also feeds /healthz and the admin ("last successful wire poll").
"""

from __future__ import annotations

import functools
import logging
import os
import socket
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from newscast.core.http import FetchError
from newscast.core.models import JobRun

logger = logging.getLogger(__name__)


def current_slot(now: datetime | None = None) -> datetime:
    """The scheduled minute a run belongs to."""
    return (now or timezone.now()).replace(second=0, microsecond=0)


def claim(job: str, slot: datetime) -> JobRun | None:
    """Claim a slot for this worker; None when another worker already has it."""
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
