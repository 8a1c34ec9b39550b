"""The job registry: each scheduled job declared once, and everything that lists jobs reads it."""

from datetime import UTC, datetime, timedelta

import pytest
from huey.contrib.djhuey import HUEY

from newscast.core.jobs import JOBS, periodic_job
from newscast.core.models import JobRun


def test_every_periodic_task_the_worker_runs_is_a_registered_job():
    periodic = set(HUEY._registry._periodic_tasks)
    registered = {job.task.task_class for job in JOBS.values()}
    assert periodic == registered
    assert {"weather_alerts", "core_prune_job_runs", "datadesk_nightly"} <= set(JOBS)


def test_the_worker_runs_a_job_on_the_schedule_it_was_declared_with():
    refresh = JOBS["weather_refresh"].task.task_class()
    assert refresh.validate_datetime(datetime(2026, 11, 28, 14, 20, tzinfo=UTC))
    assert not refresh.validate_datetime(datetime(2026, 11, 28, 14, 21, tzinfo=UTC))
    prune = JOBS["core_prune_job_runs"].task.task_class()
    assert prune.validate_datetime(datetime(2026, 11, 28, 3, 17, tzinfo=UTC))
    assert not prune.validate_datetime(datetime(2026, 11, 28, 4, 17, tzinfo=UTC))


def test_a_second_declaration_of_a_job_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        periodic_job("weather_alerts", every="every minute", fresh_within=timedelta(minutes=5))


@pytest.mark.django_db
def test_metrics_give_every_registered_job_its_limit(client, settings):
    settings.METRICS_TOKEN = ""
    body = client.get("/metrics").content.decode()
    for job in JOBS.values():
        line = f'newscast_job_freshness_limit_seconds{{job="{job.name}"}} '
        assert line + f"{job.fresh_within.total_seconds()}" in body


@pytest.mark.django_db
def test_healthz_judges_weather_alerts_by_its_own_limit(client, admin_user):
    now = datetime.now(UTC)
    JobRun.objects.create(
        job="weather_alerts",
        slot=now - timedelta(minutes=6),
        started_at=now - timedelta(minutes=6),
        finished_at=now - timedelta(minutes=6),
        outcome=JobRun.Outcome.SUCCESS,
    )
    client.force_login(admin_user)
    jobs = client.get("/healthz").json()["checks"]["jobs"]
    assert jobs["weather_alerts"]["status"] == "stale"  # 6 minutes > its 5-minute limit
    assert jobs["weather_alerts"]["limit_seconds"] == 300


@pytest.mark.django_db
def test_the_scheduled_jobs_screen_shows_each_runs_schedule(admin_client):
    now = datetime.now(UTC)
    JobRun.objects.create(job="weather_refresh", slot=now, started_at=now)
    JobRun.objects.create(job="retired_job", slot=now, started_at=now)
    page = admin_client.get("/admin/job_runs/").content.decode()
    assert "every 10 minutes" in page
    assert "30 min" in page
    assert "not scheduled" in page
