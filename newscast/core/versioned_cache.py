"""Values keyed by a version, read through this process's memory in front of the shared
cache.

A key given here must hold a version number that every request reads from the database and
that moves with every change to what the value shows: the content version
(core.models.content), the closings board's version, the data desk's last load. A change
anywhere moves it, so the next request in every process asks for new keys, and a value kept
in memory can never outlive the change. The memory only saves the round trip to Redis (and
the unpickling) for what this process already read at this version: the page's fragments,
its route, the site, the station settings, the section links, the desks' widgets.

Within a request (VersionedWritesMiddleware), what is set goes to memory at once and to the
shared cache together when the response is ready: a story seen for the first time writes
its route and its fragments in one round trip instead of one each.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

# How long the shared cache keeps a versioned value: only a safety net for changes made
# behind Wagtail's back (a new version makes every key stale at once).
FRAGMENT_CACHE_SECONDS = 10 * 60
# The in-process layer: a process serves a handful of versions' worth of hot keys; the age
# limit only returns memory (a key's version makes it correct, not its age).
LOCAL_SECONDS = 60
LOCAL_ENTRIES = 2000
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
# Guards only the dict's reordering and trimming, never a render or a cache call: a lock
# held while rendering would block (or, re-entered by a nested fragment, hang) the
# threads of a threaded server such as the tests' live server.
_local_lock = threading.Lock()
# Inside versioned_writes_batched: {timeout: {key: value}} waiting for the shared cache.
_pending_writes: ContextVar[dict | None] = ContextVar("versioned_pending_writes", default=None)


def local_layer_on() -> bool:
    """True in front of a shared cache; with Django's in-process cache (no REDIS_URL, the
    tests) a second in-process copy would save nothing. NEWSCAST_LOCAL_CACHE overrides."""
    override = getattr(settings, "NEWSCAST_LOCAL_CACHE", None)
    if override is not None:
        return override
    return not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def local_clear() -> None:
    """Forget what this process kept in memory (the tests' clean slate)."""
    with _local_lock:
        _local.clear()


def versioned_get(key: str):
    """The value under `key`, which must hold a version (above): from this process's memory
    when it read it before, else from the cache (kept in memory for next time). None when
    neither has it."""
    if not local_layer_on():
        return cache.get(key)
    now = time.monotonic()
    with _local_lock:
        kept = _local.get(key)
        if kept is not None and kept[0] > now:
            _local.move_to_end(key)
            return kept[1]
    value = cache.get(key)
    if value is not None:
        _local_keep(key, value, now)
    return value


def versioned_set(key: str, value, timeout: int = FRAGMENT_CACHE_SECONDS) -> None:
    """Keep `value` under `key` (holding a version) in the cache, and in memory for no longer
    than the cache keeps it. Inside versioned_writes_batched the cache write waits for its
    end; this process reads the value from memory meanwhile."""
    pending = _pending_writes.get()
    if pending is None:
        cache.set(key, value, timeout)
    else:
        pending[timeout][key] = value
    if local_layer_on():
        _local_keep(key, value, time.monotonic(), min(timeout, LOCAL_SECONDS))


@contextmanager
def versioned_writes_batched():
    """Write what versioned_set keeps inside the block to the shared cache on leaving, in
    one round trip (Redis: a pipeline) per lifetime. Only in front of a shared cache: there
    the memory layer serves the values until then. Nested blocks leave it to the outermost."""
    if not local_layer_on() or _pending_writes.get() is not None:
        yield
        return
    pending = defaultdict(dict)
    token = _pending_writes.set(pending)
    try:
        yield
    finally:
        _pending_writes.reset(token)
        for timeout, values in pending.items():
            cache.set_many(values, timeout)


class VersionedWritesMiddleware:
    """A request's versioned writes (route, site, fragments) go to the shared cache together,
    once its response is rendered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with versioned_writes_batched():
            return self.get_response(request)


def _local_keep(key: str, value, now: float, seconds: float = LOCAL_SECONDS) -> None:
    with _local_lock:
        _local[key] = (now + seconds, value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
