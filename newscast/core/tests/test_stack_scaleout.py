"""Scale-out: two workers racing for the same scheduled slot run the job once.

Each thread has its own database connection, committing on its own like a worker process
(bench/drills/scale_out.py runs two real worker processes). SQLite lets one writer at a time,
so the race needs a server database: CI runs this file on PostgreSQL too.
"""

import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from newscast.core.jobs import scheduled_job
from newscast.core.models import JobRun

JOB = "datadesk_nightly_race_test"


def in_own_connection(work):
    """Run work() in a thread, on a connection of its own that commits (like a worker)."""

    def run():
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)


@pytest.fixture
def committed_runs_removed(db):
    yield
    # The threads committed outside the test's transaction, so the clean-up must too. (On
    # SQLite the test skips before any thread writes: nothing to clean, and a second
    # connection would wait on the test's lock.)
    if connection.vendor == "postgresql":
        in_own_connection(lambda: JobRun.objects.filter(job=JOB).delete())


@pytest.mark.django_db
def test_two_workers_racing_for_one_nightly_slot_load_once(committed_runs_removed):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; this race runs on PostgreSQL")
    # Both must claim the same minute: start clear of a minute boundary.
    if timezone.now().second >= 58:
        time.sleep(3)
    ran = []
    both_ready = threading.Barrier(2)

    @scheduled_job(JOB)
    def nightly_load():
        ran.append(threading.current_thread().name)
        time.sleep(0.3)  # the loser arrives while the winner is still loading
        return "loaded 1 file"

    def worker():
        try:
            both_ready.wait(timeout=10)
            nightly_load()
        finally:
            connection.close()  # this thread's own connection

    workers = [threading.Thread(target=worker, name=f"worker-{n}") for n in (1, 2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=30)

    assert len(ran) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT outcome FROM core_jobrun WHERE job = %s", [JOB])
        assert cursor.fetchall() == [(JobRun.Outcome.SUCCESS,)]
