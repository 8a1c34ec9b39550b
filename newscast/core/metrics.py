"""/metrics for Prometheus: request, response and cache figures (django-prometheus) plus how
long ago each desk's scheduled job last succeeded.

Scraped straight from each web process (gunicorn's port), never through nginx, which refuses
the path. A request is let in when it comes from an address in METRICS_ALLOWED_IPS and was not
forwarded by a proxy, or carries `Authorization: Bearer <METRICS_TOKEN>`.
"""

from __future__ import annotations

import hmac
import os

import prometheus_client
from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from newscast.core.jobs import JOBS, last_success


class JobFreshnessCollector:
    """Seconds since each job's last success, read from the JobRun records at scrape time."""

    def collect(self):
        age = GaugeMetricFamily(
            "newscast_job_last_success_age_seconds",
            "Seconds since the scheduled job last succeeded (absent: never ran).",
            labels=["job"],
        )
        limit = GaugeMetricFamily(
            "newscast_job_freshness_limit_seconds",
            "How old the last success may be before /healthz calls the job stale.",
            labels=["job"],
        )
        now = timezone.now()
        for job in JOBS.values():
            limit.add_metric([job.name], job.fresh_within.total_seconds())
            run = last_success(job.name)
            if run is not None and run.finished_at is not None:
                age.add_metric([job.name], (now - run.finished_at).total_seconds())
        yield age
        yield limit


def scrape_allowed(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if offered and hmac.compare_digest(offered, token):
            return True
    if "X-Forwarded-For" in request.headers:
        return False  # came through nginx or another proxy: a reader, not Prometheus
    return request.META.get("REMOTE_ADDR") in getattr(settings, "METRICS_ALLOWED_IPS", ())


def metrics_text() -> bytes:
    """The exposition text: every gunicorn worker's figures when running multi-process."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    jobs = prometheus_client.CollectorRegistry()
    jobs.register(JobFreshnessCollector())
    return prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(jobs)


@never_cache
def metrics(request):
    if not scrape_allowed(request):
        return HttpResponseForbidden("Metrics are for the monitoring system.\n")
    return HttpResponse(metrics_text(), content_type=prometheus_client.CONTENT_TYPE_LATEST)
