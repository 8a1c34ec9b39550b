"""Asking the jobs worker for something from the admin, saying so plainly when it cannot hear.

The queue lives in Redis. With Redis down, readers are unaffected (pages do not use the
queue) but an editor's "Poll now" or "Load now" would end in a 500; here it ends in a message
saying nothing was queued, why, and what to do instead. Scheduled runs need no lock to
expire afterwards: each claims its own minute in the database (core.jobs), so the next slot
runs as soon as the worker can read the queue again.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def job_enqueue(request, task, *args, instead: str) -> bool:
    """Queue task(*args); on a queue error tell the editor (with `instead`) and return False."""
    try:
        task(*args)
    except (RedisError, OSError) as exc:
        name = getattr(task, "name", None) or getattr(task, "__name__", "task")
        logger.warning("job queue unreachable, %s not queued: %s", name, exc)
        messages.error(
            request,
            f"Nothing was queued: the job queue (Redis) cannot be reached "
            f"({type(exc).__name__}). Readers are not affected. Try again once it is back, "
            f"or {instead}.",
        )
        return False
    return True
