"""/healthz: is this web process able to serve, and are the desks' jobs keeping data fresh?

Answers 200 while the database answers (a load balancer keeps the node), 503 when it does not.
The cache and the jobs only make the status "degraded": pages are still served without Redis,
and a stale weather refresh is a newsroom problem, not a reason to pull a web node.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from newscast.core.jobs import last_success

# How old the last successful run of each job may be before /healthz calls it stale.
JOB_FRESHNESS_LIMITS = {
    "wire_poll": timedelta(minutes=30),  # polled every few minutes
    "weather_refresh": timedelta(minutes=30),  # observations every 10 minutes, alerts every 2
    "datadesk_nightly": timedelta(hours=26),  # nightly, with two hours' grace
}
NEVER_RAN = "never ran"


def database_check() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; say which
        return {"status": "down", "error": f"{type(exc).__name__}: {exc}".strip()[:300]}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


def cache_check() -> dict:
    """Write and read back a value: with Redis down the cache ignores errors, so read it back."""
    key = f"core:healthz:{uuid.uuid4().hex}"
    started = time.perf_counter()
    try:
        cache.set(key, "ok", 10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # a cache backend that raises is as down as one that forgets
        return {"status": "down", "error": f"{type(exc).__name__}: {exc}"[:300]}
    if answered != "ok":
        return {"status": "down", "error": "the cache did not keep a value (Redis unreachable?)"}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


def job_check(job: str, limit: timedelta, now=None) -> dict:
    """Freshness of one job; 'never ran' (not a failure) when its desk is not set up here."""
    run = last_success(job)
    if run is None or run.finished_at is None:
        return {"status": NEVER_RAN, "limit_seconds": int(limit.total_seconds())}
    age = (now or timezone.now()) - run.finished_at
    return {
        "status": "fresh" if age <= limit else "stale",
        "last_success": run.finished_at.isoformat(),
        "age_seconds": int(age.total_seconds()),
        "limit_seconds": int(limit.total_seconds()),
    }


def health_report() -> tuple[dict, int]:
    """The whole report and its HTTP status."""
    database = database_check()
    checks = {"database": database, "cache": cache_check(), "jobs": {}}
    if database["status"] == "ok":
        for job, limit in JOB_FRESHNESS_LIMITS.items():
            checks["jobs"][job] = job_check(job, limit)
    if database["status"] != "ok":
        return {"status": "down", "checks": checks}, 503
    degraded = checks["cache"]["status"] != "ok" or any(
        job["status"] == "stale" for job in checks["jobs"].values()
    )
    return {"status": "degraded" if degraded else "ok", "checks": checks}, 200


@never_cache
def healthz(request):
    report, status = health_report()
    return JsonResponse(report, status=status)
