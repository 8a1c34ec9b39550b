"""/healthz: database, cache and job freshness; and the Redis cache degrading to no cache."""

import socket
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from newscast.core.health import JOB_FRESHNESS_LIMITS, NEVER_RAN
from newscast.core.models import JobRun

pytestmark = pytest.mark.django_db


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_where_nothing_listens():
    """The production cache settings (base.py), pointed at a port with no Redis behind it."""
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
                "OPTIONS": {
                    "IGNORE_EXCEPTIONS": True,
                    "SOCKET_CONNECT_TIMEOUT": 0.5,
                    "SOCKET_TIMEOUT": 0.5,
                },
            }
        }
    )


def record_success(job, finished_ago):
    finished = timezone.now() - finished_ago
    JobRun.objects.create(
        job=job,
        slot=finished.replace(second=0, microsecond=0),
        started_at=finished,
        finished_at=finished,
        outcome=JobRun.Outcome.SUCCESS,
    )


def test_a_fresh_install_is_ok_and_says_which_jobs_never_ran(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["checks"]["database"]["status"] == "ok"
    assert report["checks"]["cache"]["status"] == "ok"
    assert set(report["checks"]["jobs"]) == set(JOB_FRESHNESS_LIMITS)
    assert {job["status"] for job in report["checks"]["jobs"].values()} == {NEVER_RAN}
    assert response["Cache-Control"] == "private, no-store"


def test_fresh_and_stale_jobs_are_told_apart(client):
    record_success("wire_poll", timedelta(minutes=3))
    record_success("datadesk_nightly", timedelta(hours=50))
    report = client.get("/healthz").json()
    jobs = report["checks"]["jobs"]
    assert jobs["wire_poll"]["status"] == "fresh"
    assert 170 <= jobs["wire_poll"]["age_seconds"] <= 200
    assert jobs["datadesk_nightly"]["status"] == "stale"
    assert jobs["weather_refresh"]["status"] == NEVER_RAN
    assert report["status"] == "degraded"


def test_a_failed_run_does_not_count_as_fresh(client):
    record_success("weather_refresh", timedelta(hours=2))
    now = timezone.now()
    JobRun.objects.create(
        job="weather_refresh", slot=now.replace(second=0, microsecond=0), started_at=now,
        finished_at=now, outcome=JobRun.Outcome.FAILURE, summary="FetchError: NWS timed out",
    )  # fmt: skip
    assert client.get("/healthz").json()["checks"]["jobs"]["weather_refresh"]["status"] == "stale"


def test_with_redis_down_health_says_degraded_and_pages_are_still_served(client):
    with redis_where_nothing_listens():
        from django.core.cache import cache

        cache.set("story:1", "cached")  # ignored, not raised
        assert cache.get("story:1") is None
        report = client.get("/healthz")
        assert report.status_code == 200
        assert report.json()["checks"]["cache"]["status"] == "down"
        assert report.json()["status"] == "degraded"
        assert client.get("/").status_code == 200  # the site root, through every middleware
