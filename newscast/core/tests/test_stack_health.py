"""/healthz: database, cache and job freshness; and the Redis cache degrading to no cache."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from newscast.core.health import NEVER_RAN
from newscast.core.jobs import JOBS
from newscast.core.models import JobRun

pytestmark = pytest.mark.django_db
MONITOR_TOKEN = "monitor-token-for-tests"


@pytest.fixture
def client(settings):
    """The monitoring system: it sends HEALTHZ_TOKEN, so it gets the whole report."""
    settings.HEALTHZ_TOKEN = MONITOR_TOKEN
    return Client(headers={"Authorization": f"Bearer {MONITOR_TOKEN}"})


@pytest.fixture
def reader(settings):
    settings.HEALTHZ_TOKEN = MONITOR_TOKEN
    return Client()


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
    assert set(report["checks"]["jobs"]) == set(JOBS)
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


def record_run(job, ago, outcome, summary=""):
    at = timezone.now() - ago
    JobRun.objects.create(
        job=job,
        slot=at.replace(second=0, microsecond=0),
        started_at=at,
        finished_at=None if outcome == JobRun.Outcome.RUNNING else at,
        outcome=outcome,
        summary=summary,
    )


def test_a_failed_run_does_not_count_as_fresh(client):
    record_success("weather_refresh", timedelta(hours=2))
    record_run("weather_refresh", timedelta(0), JobRun.Outcome.FAILURE, "FetchError: NWS timed out")
    report = client.get("/healthz").json()
    job = report["checks"]["jobs"]["weather_refresh"]
    assert job["status"] == "failing" and job["error"] == "FetchError: NWS timed out"
    assert 7100 <= job["age_seconds"] <= 7300 and report["status"] == "degraded"


def test_a_job_that_has_only_ever_failed_is_failing_not_never_ran(client):
    """The demo offline: weather_refresh fails every 10 minutes and has never succeeded."""
    failed = JobRun.Outcome.FAILURE
    record_run("weather_refresh", timedelta(minutes=20), failed, "FetchError: DNS lookup failed")
    record_run("weather_refresh", timedelta(minutes=10), failed, "FetchError: api.weather.gov down")
    record_run("weather_refresh", timedelta(0), JobRun.Outcome.RUNNING)  # the next try, under way
    report = client.get("/healthz").json()
    job = report["checks"]["jobs"]["weather_refresh"]
    assert job["status"] == "failing"
    assert job["error"] == "FetchError: api.weather.gov down" and "last_success" not in job
    assert report["status"] == "degraded"
    assert report["checks"]["jobs"]["wire_poll"]["status"] == NEVER_RAN


def test_a_failure_after_a_fresh_success_is_shown_but_still_fresh(client):
    record_success("wire_poll", timedelta(minutes=4))
    record_run("wire_poll", timedelta(minutes=1), JobRun.Outcome.FAILURE, "FetchError: 503")
    report = client.get("/healthz").json()
    job = report["checks"]["jobs"]["wire_poll"]
    assert job["status"] == "fresh" and job["error"] == "FetchError: 503"
    assert report["status"] == "ok"


def test_a_first_run_under_way_is_running_then_stale_when_stuck(client):
    record_run("datadesk_nightly", timedelta(minutes=5), JobRun.Outcome.RUNNING)
    record_run("wire_poll", timedelta(hours=1), JobRun.Outcome.RUNNING)
    jobs = client.get("/healthz").json()["checks"]["jobs"]
    assert jobs["datadesk_nightly"]["status"] == "running"
    assert jobs["wire_poll"]["status"] == "stale"


def test_with_redis_down_health_says_degraded_and_pages_are_still_served(client, redis_down):
    cache.set("story:1", "cached")  # ignored, not raised
    assert cache.get("story:1") is None
    report = client.get("/healthz")
    assert report.status_code == 200
    assert report.json()["checks"]["cache"]["status"] == "down"
    assert report.json()["status"] == "degraded"
    assert client.get("/").status_code == 200  # the site root, through every middleware


def record_failure(job, error):
    now = timezone.now()
    JobRun.objects.create(
        job=job,
        slot=now.replace(second=0, microsecond=0),
        started_at=now,
        finished_at=now,
        outcome=JobRun.Outcome.FAILURE,
        summary=error,
    )


def test_the_public_sees_statuses_only(reader):
    record_failure("datadesk_nightly", "FetchError: http://10.0.0.5:8080/secret answered 500")
    report = reader.get("/healthz").json()
    assert report["checks"]["jobs"]["datadesk_nightly"] == {"status": "failing"}
    assert report["checks"]["database"] == {"status": "ok"}
    assert report["status"] == "degraded"
    assert "10.0.0.5" not in str(report) and "ms" not in report["checks"]["database"]


def test_a_wrong_token_gets_the_public_report(reader):
    record_failure("wire_poll", "FetchError: wire.internal:9000 refused")
    report = reader.get("/healthz", headers={"Authorization": "Bearer guess"}).json()
    assert "wire.internal" not in str(report)


def test_staff_see_the_details(reader, django_user_model):
    record_failure("wire_poll", "FetchError: wire.internal:9000 refused")
    reader.force_login(django_user_model.objects.create_user("desk", is_staff=True))
    job = reader.get("/healthz").json()["checks"]["jobs"]["wire_poll"]
    assert job["error"] == "FetchError: wire.internal:9000 refused"
