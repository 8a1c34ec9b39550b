"""Scale-out: two workers racing for the same scheduled slot run the job once."""

import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from newscast.core.jobs import scheduled_job
from newscast.core.models import JobRun


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_nightly_slot_load_once():
    # Both must claim the same minute: start clear of a minute boundary.
    if timezone.now().second >= 58:
        time.sleep(3)
    ran = []
    both_ready = threading.Barrier(2)

    @scheduled_job("datadesk_nightly")
    def nightly_load():
        ran.append(threading.current_thread().name)
        time.sleep(0.3)  # the loser arrives while the winner is still loading
        return "loaded 1 file"

    def worker():
        try:
            both_ready.wait(timeout=10)
            nightly_load()
        finally:
            connection.close()  # each thread has its own database connection, like a process

    workers = [threading.Thread(target=worker, name=f"worker-{n}") for n in (1, 2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=30)

    assert len(ran) == 1
    runs = JobRun.objects.filter(job="datadesk_nightly")
    assert runs.count() == 1
    assert runs.get().outcome == JobRun.Outcome.SUCCESS
