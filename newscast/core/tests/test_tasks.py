from datetime import timedelta

import pytest
from django.utils import timezone

from newscast.core.models import JobRun
from newscast.core.tasks import JOB_RUN_RETENTION, job_runs_prune

pytestmark = pytest.mark.django_db


def _run(job, age):
    started = timezone.now() - age
    return JobRun.objects.create(
        job=job, slot=started.replace(second=0, microsecond=0), started_at=started
    )


def test_prune_keeps_recent_runs():
    old = _run("wire_poll", JOB_RUN_RETENTION + timedelta(hours=1))
    recent = _run("wire_poll", timedelta(hours=1))
    assert job_runs_prune() == 1
    assert list(JobRun.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not JobRun.objects.filter(pk=old.pk).exists()


def test_job_runs_admin_is_read_only(admin_client):
    run = _run("weather_refresh", timedelta(minutes=5))
    index = admin_client.get("/admin/job_runs/")
    assert index.status_code == 200 and b"weather_refresh" in index.content
    assert admin_client.get(f"/admin/job_runs/inspect/{run.pk}/").status_code == 200
    assert admin_client.get("/admin/job_runs/new/").status_code in (302, 403)
