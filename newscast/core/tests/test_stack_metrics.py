"""/metrics: Prometheus text for the monitoring system only."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from newscast.core.models import JobRun

pytestmark = pytest.mark.django_db


def test_prometheus_scrapes_the_web_process_directly(client):
    client.get("/healthz")  # at least one request to count
    response = client.get("/metrics")  # the test client comes from 127.0.0.1
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert 'newscast_job_freshness_limit_seconds{job="wire_poll"} 1800.0' in text


def test_job_age_is_reported_once_a_job_has_succeeded(client):
    finished = timezone.now() - timedelta(minutes=5)
    JobRun.objects.create(
        job="wire_poll", slot=finished.replace(second=0, microsecond=0), started_at=finished,
        finished_at=finished, outcome=JobRun.Outcome.SUCCESS,
    )  # fmt: skip
    text = client.get("/metrics").content.decode()
    line = next(
        line
        for line in text.splitlines()
        if line.startswith('newscast_job_last_success_age_seconds{job="wire_poll"}')
    )
    assert 295 <= float(line.split()[-1]) <= 330
    assert 'newscast_job_last_success_age_seconds{job="weather_refresh"}' not in text


def test_a_request_forwarded_by_nginx_is_refused(client):
    response = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 403


def test_an_address_outside_the_allowed_list_is_refused(client):
    assert client.get("/metrics", REMOTE_ADDR="198.51.100.4").status_code == 403


@override_settings(METRICS_TOKEN="s3cret-scrape-token")
def test_a_bearer_token_lets_a_remote_prometheus_in(client):
    far = {"REMOTE_ADDR": "198.51.100.4"}
    refused = client.get("/metrics", headers={"Authorization": "Bearer wrong"}, **far)
    assert refused.status_code == 403
    allowed = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"}, **far)
    assert allowed.status_code == 200
