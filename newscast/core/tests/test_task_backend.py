"""Wagtail's background tasks in the Huey worker: queued at commit, once per transaction."""

import socket

import pytest
from django.db import transaction
from django_tasks import task

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
    worker_queue, django_capture_on_commit_callbacks
):
    from huey.contrib.djhuey import HUEY
    from huey.storage import RedisStorage

    with socket.socket() as sock:  # a port nobody listens on: Redis is down
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    HUEY.storage = RedisStorage("newscast-test", url=f"redis://127.0.0.1:{port}/3")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            note.enqueue("story")
    assert RAN == ["story"]  # the search still finds what was saved
