"""A "Load now" is recorded when it is queued, so one the queue loses is seen as lost; and
with the queue (Redis) down the admin says so instead of failing."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from newscast.datadesk.models import LOST_LABEL, QUEUED_LOAD_LIMIT, LoadRun
from newscast.datadesk.services import load_queue
from newscast.datadesk.tasks import dataset_load_now
from newscast.datadesk.tests.conftest import RECORDED

QUEUED_AT = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 17:30 in Tupelo, the day before in UTC+
MONITOR_TOKEN = "monitor-token-for-tests"


@pytest.fixture
def admin(admin_client):
    admin_client.defaults["HTTP_HOST"] = "localhost"
    return admin_client


@pytest.fixture
def monitor(settings):
    settings.HEALTHZ_TOKEN = MONITOR_TOKEN
    return Client(headers={"Authorization": f"Bearer {MONITOR_TOKEN}"})


@pytest.fixture
def source(dataset, httpserver):
    body = (RECORDED / "nyt_us_counties.csv").read_bytes()
    httpserver.expect_request("/us-counties.csv").respond_with_data(body, content_type="text/csv")
    dataset.source_url = httpserver.url_for("/us-counties.csv")
    dataset.save()
    return dataset


@pytest.fixture
def redis_down(monkeypatch, closed_port):
    """The worker's queue is a real Redis client for a loopback port nobody listens on."""
    monkeypatch.setattr(HUEY, "_immediate", False)
    url = f"redis://127.0.0.1:{closed_port}/9"
    monkeypatch.setattr(HUEY, "storage", RedisStorage(HUEY.name, url=url))


def test_load_now_is_recorded_queued_then_running_in_one_record(admin, source):
    with time_machine.travel(QUEUED_AT, tick=False):
        admin.post(f"/admin/datadesk/datasets/{source.pk}/load/")
    run = LoadRun.objects.get()  # the queued record became the load's record
    assert run.outcome == LoadRun.Outcome.SUCCESS and run.rows_added == 24
    assert run.queued_at == QUEUED_AT and run.started_at == QUEUED_AT


def test_a_queued_load_no_worker_took_is_lost_in_the_admin_and_healthz(admin, monitor, source):
    with time_machine.travel(QUEUED_AT, tick=False):
        queued = load_queue(source)
    with time_machine.travel(QUEUED_AT + QUEUED_LOAD_LIMIT - timedelta(seconds=1), tick=False):
        assert not queued.lost
        assert LOST_LABEL not in admin.get("/admin/datadesk_loads/").content.decode()
        assert monitor.get("/healthz").json()["checks"]["datadesk_queued_loads"] == {"status": "ok"}
    with time_machine.travel(QUEUED_AT + QUEUED_LOAD_LIMIT + timedelta(seconds=1), tick=False):
        queued.refresh_from_db()
        assert queued.lost
        assert LOST_LABEL in admin.get("/admin/datadesk_loads/").content.decode()
        inspect = admin.get(f"/admin/datadesk_loads/inspect/{queued.pk}/").content.decode()
        assert LOST_LABEL in inspect
        report = monitor.get("/healthz").json()
        check = report["checks"]["datadesk_queued_loads"]
        assert check["status"] == "lost" and check["datasets"] == ["coronavirus"]
        assert report["status"] == "degraded"
        public = Client().get("/healthz").json()
        assert public["checks"]["datadesk_queued_loads"] == {"status": "lost"}
        assert public["status"] == "degraded"


def test_a_late_worker_still_runs_the_lost_load_and_health_recovers(monitor, source):
    with time_machine.travel(QUEUED_AT, tick=False):
        queued = load_queue(source)
    with time_machine.travel(QUEUED_AT + timedelta(hours=1), tick=False):
        assert monitor.get("/healthz").json()["checks"]["datadesk_queued_loads"]["status"] == (
            "lost"
        )
        dataset_load_now.call_local(source.pk, queued.pk)
        queued.refresh_from_db()
        assert queued.outcome == LoadRun.Outcome.SUCCESS and not queued.lost
        assert queued.started_at == QUEUED_AT + timedelta(hours=1)
        assert monitor.get("/healthz").json()["checks"]["datadesk_queued_loads"] == {"status": "ok"}


def test_a_lost_load_made_up_for_by_a_later_load_no_longer_degrades_health(monitor, source):
    from newscast.datadesk.services import dataset_load

    with time_machine.travel(QUEUED_AT, tick=False):
        lost = load_queue(source)
    with time_machine.travel(QUEUED_AT + timedelta(hours=2), tick=False):
        dataset_load(source)  # the nightly load, say
        lost.refresh_from_db()
        assert lost.lost  # still shown as lost in the list: it never ran
        assert monitor.get("/healthz").json()["checks"]["datadesk_queued_loads"] == {"status": "ok"}


def test_a_queued_load_refused_because_another_runs_keeps_one_record(source):
    other = LoadRun.objects.create(
        dataset=source, source="x", source_format="nyt", started_at=datetime.now(UTC)
    )
    queued = load_queue(source)
    result = dataset_load_now.call_local(source.pk, queued.pk)
    assert "refused: Another load" in result
    queued.refresh_from_db()
    assert queued.outcome == LoadRun.Outcome.REFUSED and "Another load" in queued.message
    assert LoadRun.objects.count() == 2 and other.outcome == LoadRun.Outcome.RUNNING


def test_load_now_with_redis_down_says_so_and_records_it_never_went(admin, source, redis_down):
    response = admin.post(f"/admin/datadesk/datasets/{source.pk}/load/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was queued: the job queue (Redis) cannot be reached" in page
    assert "newscast data load --dataset coronavirus" in page  # what to do instead
    run = LoadRun.objects.get()
    assert run.outcome == LoadRun.Outcome.FAILED and run.message.startswith("Never queued")
    assert not run.lost
