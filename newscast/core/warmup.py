"""A web process warmed before it serves: each kind of page rendered once in gunicorn's master.

The first request a fresh process answers compiles the templates it uses, imports what views
import lazily, connects to the database and Redis and prepares its queries: about 240 ms of
CPU for a story on the build machine, against 6-7 ms for the next one, and one to two seconds
of a reader's wait when the machine is busy. gunicorn forks its workers from the master
(`preload_app`) and replaces each one every GUNICORN_MAX_REQUESTS requests, so paying that
once in the master, before any fork, means no worker's first reader pays it
(deploy/gunicorn.conf.py, `when_ready`).

Connections opened here are closed before the fork: a child must never share a socket with
its parent. What the renders leave in memory is safe to inherit: every cache a process keeps
is keyed by the content version it was read at (newscast.core.versioned_cache).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from operator import attrgetter
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import close_caches
from django.core.handlers.base import BaseHandler
from django.db import connections
from django.db.models import Max
from django.http.request import validate_host
from django.test import RequestFactory
from wagtail.models import Page

logger = logging.getLogger(__name__)

BUDGET_SECONDS = 15.0


@dataclass(frozen=True)
class WarmUp:
    host: str
    path: str
    status: int | None = None
    ms: float = 0.0


def warm_up_requests() -> list[WarmUp]:
    """One request for the newest live page of each page type, home first."""
    newest = (
        Page.objects.live()
        .exclude(depth=1)
        .order_by()
        .values("content_type")
        .annotate(newest=Max("pk"))
        .values_list("newest", flat=True)
    )
    pages = Page.objects.filter(pk__in=list(newest)).specific()
    wanted = []
    for page in sorted(pages, key=attrgetter("url_path")):
        parts = page.get_url_parts()
        if parts is None:  # not under any site
            continue
        _, root_url, path = parts
        host = urlsplit(root_url).hostname or ""
        if validate_host(host, settings.ALLOWED_HOSTS):
            wanted.append(WarmUp(host, path))
    return wanted


def warm_up(budget_seconds: float = BUDGET_SECONDS) -> list[WarmUp]:
    """Render each warm-up request through the whole middleware stack, as a reader's HTTPS
    request arrives from nginx, within the budget; return what each answered. Never raises:
    a process that could not warm (the database not up yet) serves all the same, cold."""
    done, started = [], time.monotonic()
    try:
        handler = BaseHandler()
        handler.load_middleware()
        for request in warm_up_requests():
            if time.monotonic() - started > budget_seconds:
                break
            done.append(_answer(handler, request))
    except Exception:  # noqa: BLE001 - a warm-up must never keep the site from starting
        logger.warning("warm-up stopped early", exc_info=True)
    finally:
        connections.close_all()
        close_caches()
    logger.info(
        "warm-up rendered %d pages in %.0f ms",
        len(done),
        (time.monotonic() - started) * 1000,
        extra={"warm_up": [(w.path, w.status, round(w.ms, 1)) for w in done]},
    )
    return done


def _answer(handler, request: WarmUp) -> WarmUp:
    started = time.monotonic()
    http = RequestFactory().get(
        request.path, HTTP_HOST=request.host, HTTP_X_FORWARDED_PROTO="https", secure=True
    )
    response = handler.get_response(http)
    response.close()  # request_finished, as after a real request
    ms = (time.monotonic() - started) * 1000
    return WarmUp(request.host, request.path, response.status_code, ms)
