"""Wagtail's background tasks (search and reference indexing, file deletion) in the Huey worker.

Wagtail 8 hands these to django-tasks' default backend. Django-tasks' ImmediateBackend runs
them inside the save that asked for them, which made each wire story cost three search-index
and three reference-index updates on the spot. This backend queues them for the Huey worker
instead, once the transaction commits (the worker must see the rows), and only once per
transaction for the same task and arguments (a story's add, revision and publish each save the
page, and one index update after the last is enough). Pages never wait for the index: a story
is served the moment it is saved; the search finds it when the worker has caught up.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from redis.exceptions import RedisError

from newscast.core.task_bulk import wagtail_tasks_bulk_run
from newscast.core.tasks import wagtail_task_run, wagtail_tasks_run

logger = logging.getLogger(__name__)

# A batch goes to the worker at the latest when it holds this many tasks, so a long import is
# indexed as it goes and a crash mid-import leaves at most this many for `update_index`.
BATCH_MOST = 500

# The tasks committed while index_updates_batched() is open in this thread; None when closed.
_batch: ContextVar[list | None] = ContextVar("wagtail_task_batch", default=None)


@contextmanager
def index_updates_batched():
    """Hand the tasks of the saves committed inside to the worker as one batch, at the end.

    For many saves in a row, each its own transaction (a wire poll's new stories): the worker
    then updates the search index in bulk and the reference index in one pass
    (core.task_bulk), instead of running a task per save. Each save is readable at its
    commit as before; only the index waits for the batch. What commits after the block
    closes (an enclosing transaction's) is queued one task at a time, as without it.
    """
    if _batch.get() is not None:  # nested: the outer block sends
        yield
        return
    batch: list = []
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        _batch_send(batch)


class HueyTaskBackend(BaseTaskBackend):
    """Queue django-tasks tasks for the Huey worker when the current transaction commits."""

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        send = QueuedTask(task.module_path, result.args, result.kwargs)
        if not send.is_pending():
            # robust: the change is committed by then; whatever goes wrong in the callback
            # never undoes the editor's save.
            transaction.on_commit(send, robust=True)
        return result


class QueuedTask:
    """The on-commit callback that hands one task to Huey; it knows if it is already waiting."""

    def __init__(self, module_path: str, args: list, kwargs: dict):
        self.module_path, self.args, self.kwargs = module_path, args, kwargs
        self.key = (module_path, json.dumps([args, kwargs], sort_keys=True))

    def __call__(self) -> None:
        batch = _batch.get()
        if batch is not None:
            batch.append((self.module_path, self.args, self.kwargs))
            if len(batch) >= BATCH_MOST:
                _batch_send(batch[:])
                batch.clear()
            return
        try:
            wagtail_task_run(self.module_path, self.args, self.kwargs)
        except (RedisError, OSError) as exc:
            # The queue (Redis) is down: do the update here rather than lose it, so search
            # and the reference index stay true; this save is slower, never wrong.
            logger.warning("job queue unreachable, %s run in place: %s", self.module_path, exc)
            import_string(self.module_path).call(*self.args, **self.kwargs)

    def is_pending(self) -> bool:
        """True when the same task with the same arguments waits for this transaction's commit.

        Django drops the callbacks of a transaction (or savepoint) that rolls back, so a
        later save in a new transaction queues its own.
        """
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            return False
        waiting = (func for _, func, _ in connection.run_on_commit)
        return any(getattr(func, "key", None) == self.key for func in waiting)


def _batch_send(tasks: list) -> None:
    """One worker task for the batch; with the queue down, run here rather than lose it."""
    if not tasks:
        return
    try:
        wagtail_tasks_run(tasks)
    except (RedisError, OSError) as exc:
        logger.warning("job queue unreachable, %d index updates run in place: %s", len(tasks), exc)
        wagtail_tasks_bulk_run(tasks)
