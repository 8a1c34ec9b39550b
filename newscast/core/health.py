"""/healthz: is this web process able to serve, and are the desks' jobs keeping data fresh?

Answers 200 while the database answers (a load balancer keeps the node), 503 when it does not.
The cache and the jobs only make the status "degraded": pages are still served without Redis,
and a stale weather refresh is a newsroom problem, not a reason to pull a web node.

The public sees statuses only (ok / degraded / down, and each check's and job's status):
error texts can name hosts, ports and what an upstream said. Staff signed in, or a monitor
sending `Authorization: Bearer <HEALTHZ_TOKEN>`, get the whole report.
"""

from __future__ import annotations

import hmac
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from newscast.core.jobs import JOBS, last_success
from newscast.core.models import JobRun

NEVER_RAN = "never ran"
UNHEALTHY_JOB = ("stale", "failing")
FAILED_OUTCOMES = (
    JobRun.Outcome.FAILURE,
    JobRun.Outcome.INTERRUPTED,
)  # job statuses that make the report "degraded"


# Checks the desks add (name -> function returning {"status": "ok" | other, ...}), registered
# in their AppConfig.ready, so core need not know the desks; any status but "ok" degrades.
DESK_CHECKS: dict[str, Callable[[], dict]] = {}


def check_register(name: str, check: Callable[[], dict]) -> None:
    DESK_CHECKS[name] = check


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
    """Freshness of one job, from its latest success and its latest run.

    - `fresh`: a success within the limit (a failure since is shown beside it);
    - `failing`: no success within the limit and the latest finished run failed (with why);
    - `stale`: no success within the limit and the latest finished run succeeded (or the
      first run has been under way longer than the limit);
    - `running`: the job's first run is under way;
    - `never ran`: no run at all (its desk is not set up here; not a failure).
    """
    now = now or timezone.now()
    report = {"status": NEVER_RAN, "limit_seconds": int(limit.total_seconds())}
    runs = JobRun.objects.filter(job=job)
    latest_start = runs.order_by("-started_at").values_list("started_at", flat=True).first()
    if latest_start is None:
        return report
    success = last_success(job)
    if success is not None and success.finished_at is not None:
        report["last_success"] = success.finished_at.isoformat()
        report["age_seconds"] = int((now - success.finished_at).total_seconds())
    # A run still under way says nothing yet: judge by the latest one that finished.
    finished = runs.filter(finished_at__isnull=False).order_by("-finished_at").first()
    if finished is not None and finished.outcome in FAILED_OUTCOMES:
        report["last_failure"] = finished.finished_at.isoformat()
        report["error"] = finished.summary[:300]
    if "age_seconds" in report and report["age_seconds"] <= limit.total_seconds():
        report["status"] = "fresh"
    elif "error" in report:
        report["status"] = "failing"
    elif finished is None and now - latest_start <= limit:
        report["status"] = "running"
    else:
        report["status"] = "stale"
    return report


def health_report() -> tuple[dict, int]:
    """The whole report and its HTTP status."""
    database = database_check()
    checks = {"database": database, "cache": cache_check(), "jobs": {}}
    if database["status"] == "ok":
        for job in JOBS.values():
            checks["jobs"][job.name] = job_check(job.name, job.fresh_within)
        for name, check in DESK_CHECKS.items():
            checks[name] = check()
    if database["status"] != "ok":
        return {"status": "down", "checks": checks}, 503
    degraded = (
        checks["cache"]["status"] != "ok"
        or any(job["status"] in UNHEALTHY_JOB for job in checks["jobs"].values())
        or any(checks[name]["status"] != "ok" for name in DESK_CHECKS)
    )
    return {"status": "degraded" if degraded else "ok", "checks": checks}, 200


def public_report(report: dict) -> dict:
    """The report with every detail but the statuses taken out."""
    checks = report["checks"]
    public = {
        "database": {"status": checks["database"]["status"]},
        "cache": {"status": checks["cache"]["status"]},
        "jobs": {job: {"status": check["status"]} for job, check in checks["jobs"].items()},
    }
    for name in DESK_CHECKS:
        if name in checks:
            public[name] = {"status": checks[name]["status"]}
    return {"status": report["status"], "checks": public}


def details_allowed(request) -> bool:
    """Staff signed in, or the monitoring system with HEALTHZ_TOKEN."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    token = getattr(settings, "HEALTHZ_TOKEN", "")
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token and offered and hmac.compare_digest(offered, token))


@never_cache
def healthz(request):
    report, status = health_report()
    if not details_allowed(request):
        report = public_report(report)
    return JsonResponse(report, status=status)
