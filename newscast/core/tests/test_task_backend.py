"""Wagtail's background tasks in the Huey worker: queued at commit, once per transaction."""

import pytest
from django.db import transaction
from django_tasks import task

from newscast.core import task_backend
from newscast.core.task_backend import index_updates_batched

pytestmark = pytest.mark.django_db

RAN: list[str] = []


@task()
def note(word: str) -> None:
    RAN.append(word)


@pytest.fixture(autouse=True)
def _fresh_notes():
    RAN.clear()


def test_nothing_reaches_the_worker_before_the_commit(
    worker_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            note.enqueue("story")
            assert worker_queue() == 0
    assert len(callbacks) == 1
    assert RAN == []  # queued for the worker, not run inside the save
    assert worker_queue() == 1
    assert RAN == ["story"]


def test_the_same_task_is_queued_once_per_transaction(
    worker_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for _ in range(3):  # a story's add, revision and publish each save the page
                note.enqueue("story")
            note.enqueue("picture")
    assert len(callbacks) == 2
    assert worker_queue() == 2
    assert sorted(RAN) == ["picture", "story"]


def test_a_rolled_back_save_queues_nothing_and_the_next_save_queues_again(
    worker_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            note.enqueue("story")
            raise RuntimeError("the save failed")
        with transaction.atomic():
            note.enqueue("story")
    assert worker_queue() == 1
    assert RAN == ["story"]


def test_with_the_queue_down_the_update_runs_in_place_instead_of_being_lost(
    worker_queue, django_capture_on_commit_callbacks, closed_port
):
    from huey.contrib.djhuey import HUEY

    _down(HUEY, closed_port)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            note.enqueue("story")
    assert RAN == ["story"]  # the search still finds what was saved


def _down(huey, port: int) -> None:
    """Point the queue at a port nobody listens on: Redis is down."""
    from huey.storage import RedisStorage

    huey.storage = RedisStorage("newscast-test", url=f"redis://127.0.0.1:{port}/3")


# Committed for real: a batch collects what each transaction commits.
@pytest.mark.django_db(transaction=True)
def test_saves_committed_in_a_batch_reach_the_worker_as_one_task(worker_queue):
    with index_updates_batched():
        for word in ("one", "two", "two", "three"):  # each its own transaction
            with transaction.atomic():
                note.enqueue(word)
        assert worker_queue() == 0  # sent when the batch closes
    assert worker_queue() == 1
    assert sorted(RAN) == ["one", "three", "two"]  # the same update twice runs once


@pytest.mark.django_db(transaction=True)
def test_a_long_batch_goes_to_the_worker_as_it_fills(worker_queue, monkeypatch):
    monkeypatch.setattr(task_backend, "BATCH_MOST", 2)
    with index_updates_batched():
        for word in ("one", "two", "three"):
            with transaction.atomic():
                note.enqueue(word)
        assert worker_queue() == 1 and sorted(RAN) == ["one", "two"]
    assert worker_queue() == 1 and sorted(RAN) == ["one", "three", "two"]


def test_what_commits_after_the_batch_closes_is_queued_on_its_own(
    worker_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            with index_updates_batched():
                note.enqueue("story")
            # the batch closed before the commit: nothing in it
            assert worker_queue() == 0
    assert worker_queue() == 1 and RAN == ["story"]


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_down_a_batch_runs_in_place(worker_queue, closed_port):
    from huey.contrib.djhuey import HUEY

    _down(HUEY, closed_port)
    with index_updates_batched():
        for word in ("one", "two"):
            with transaction.atomic():
                note.enqueue(word)
    assert sorted(RAN) == ["one", "two"]


def test_a_batch_indexes_pages_for_search_in_bulk_and_skips_deleted_ones():
    from wagtail.models import Page

    from newscast.core.task_bulk import REFERENCE_TASK, SEARCH_TASK, wagtail_tasks_bulk_run

    root = Page.objects.get(depth=1)
    page = root.add_child(instance=Page(title="Flood gates open", slug="flood-gates"))
    gone = ["wagtailcore", "page", "999999"]
    summary = wagtail_tasks_bulk_run(
        [
            (SEARCH_TASK, ["wagtailcore", "page", str(page.pk)], {}),
            (SEARCH_TASK, gone, {}),
            (REFERENCE_TASK, ["wagtailcore", "page", str(page.pk)], {}),
            (REFERENCE_TASK, gone, {}),
        ]
    )
    assert summary.startswith("1 objects indexed for search, 1 for references")
    assert list(Page.objects.search("flood gates")) == [page]
