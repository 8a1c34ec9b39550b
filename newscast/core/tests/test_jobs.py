import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from newscast.core.jobs import (
    claim,
    current_slot,
    interrupted_runs_mark,
    last_success,
    scheduled_job,
)
from newscast.core.models import JobRun

pytestmark = pytest.mark.django_db


def test_a_slot_is_claimed_once():
    slot = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
    assert claim("datadesk_nightly", slot) is not None
    assert claim("datadesk_nightly", slot) is None  # the second worker skips
    assert claim("wire_poll", slot) is not None  # another job is independent


def test_scheduled_job_records_success_and_skips_a_claimed_slot():
    calls = []

    @scheduled_job("demo_job")
    def work():
        calls.append(1)
        return "did 1 thing"

    assert work() == "did 1 thing"
    assert work() is None  # same minute: already ran
    assert calls == [1]
    run = last_success("demo_job")
    assert run.summary == "did 1 thing" and run.finished_at and run.slot == current_slot(run.slot)


def test_scheduled_job_records_failure_and_reraises():
    @scheduled_job("broken_job")
    def work():
        raise ValueError("feed answered 500")

    with pytest.raises(ValueError):
        work()
    run = JobRun.objects.get(job="broken_job")
    assert run.outcome == JobRun.Outcome.FAILURE and "feed answered 500" in run.summary
    assert last_success("broken_job") is None


def test_an_upstream_outage_is_logged_without_a_traceback(caplog):
    from newscast.core.http import FetchError

    @scheduled_job("outage_job")
    def work():
        try:
            raise FetchError(
                "https://api.example/x could not be reached", url="https://api.example/x"
            )
        except FetchError as exc:
            raise RuntimeError("alerts: upstream down") from exc

    assert work() is None
    assert JobRun.objects.get(job="outage_job").outcome == JobRun.Outcome.FAILURE
    (record,) = [r for r in caplog.records if r.name == "newscast.core.jobs"]
    assert record.levelname == "WARNING" and record.exc_info is None
    assert "alerts: upstream down" in record.getMessage()


def test_a_bug_keeps_its_traceback(caplog):
    @scheduled_job("buggy_job")
    def work():
        raise KeyError("periods")

    with pytest.raises(KeyError):
        work()
    (record,) = [r for r in caplog.records if r.name == "newscast.core.jobs"]
    assert record.levelname == "ERROR" and record.exc_info is not None


def _gone_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_run_whose_worker_was_killed_is_marked_interrupted_at_the_next_claim(settings):
    host = socket.gethostname()
    started = timezone.now() - timedelta(minutes=20)
    killed = JobRun.objects.create(
        job="wire_poll", slot=started, started_at=started, worker=f"{host}:{_gone_pid()}"
    )
    alive = JobRun.objects.create(
        job="weather_refresh", slot=started, started_at=started, worker=f"{host}:{os.getpid()}"
    )
    assert claim("wire_poll", current_slot()) is not None
    killed.refresh_from_db()
    alive.refresh_from_db()
    assert killed.outcome == JobRun.Outcome.INTERRUPTED and killed.finished_at is not None
    assert "stopped before the run finished" in killed.summary
    assert alive.outcome == JobRun.Outcome.RUNNING and alive.finished_at is None
    settings.HEALTHZ_TOKEN = "t"
    report = Client(headers={"Authorization": "Bearer t"}).get("/healthz").json()
    assert report["checks"]["jobs"]["wire_poll"]["status"] == "failing"


def test_a_run_of_another_machine_is_left_alone():
    started = timezone.now() - timedelta(minutes=20)
    JobRun.objects.create(job="wire_poll", slot=started, started_at=started, worker="web2:1")
    assert interrupted_runs_mark() == 0
