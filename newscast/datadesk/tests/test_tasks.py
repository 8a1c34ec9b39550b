"""The nightly job: loads each dataset at its hour in station time, records the run."""

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newscast.core.models import JobRun
from newscast.datadesk.models import CountyDay, Dataset
from newscast.datadesk.tasks import NightlyLoadRefused, datadesk_nightly, nightly_loads
from newscast.datadesk.tests.conftest import recorded

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def nightly(dataset, settings, tmp_path):
    """The dataset with an uploaded source file, as an editor leaves it in the admin."""
    settings.MEDIA_ROOT = str(tmp_path)
    source_use(dataset, "nyt_us_counties.csv")
    return dataset


def source_use(dataset, name):
    (Path(settings_media()) / "datadesk").mkdir(exist_ok=True)
    shutil.copy(recorded(name), Path(settings_media()) / "datadesk" / name)
    dataset.source_file.name = f"datadesk/{name}"
    dataset.save()


def settings_media():
    from django.conf import settings

    return settings.MEDIA_ROOT


def at(hour):
    return datetime(2020, 4, 13, hour, 0, tzinfo=CHICAGO)


def test_the_nightly_load_runs_at_two_station_time(station, nightly):
    assert "No dataset is due at 01:00" in nightly_loads(at(1))
    assert CountyDay.objects.count() == 0
    summary = nightly_loads(at(2))
    assert "coronavirus: 24 added, 0 changed, 0 rejected" in summary
    assert CountyDay.objects.count() == 24


def test_each_dataset_keeps_its_own_hour(station, nightly):
    nightly.load_hour = 5
    nightly.save()
    assert "No dataset is due" in nightly_loads(at(2))
    assert "24 added" in nightly_loads(at(5))


def test_datasets_off_the_schedule_are_left_alone(station, nightly):
    Dataset.objects.update(nightly=False)
    assert "No dataset is due" in nightly_loads(at(2))


def test_a_refused_nightly_load_fails_the_job_and_keeps_the_data(station, nightly):
    nightly_loads(at(2))
    source_use(nightly, "nyt_wrong_header.csv")
    with pytest.raises(NightlyLoadRefused, match="coronavirus: refused: Wrong header"):
        nightly_loads(at(2))
    assert CountyDay.objects.count() == 24


def test_the_periodic_task_records_a_job_run(station, nightly):
    datadesk_nightly.call_local()
    run = JobRun.objects.get(job="datadesk_nightly")
    assert run.outcome == JobRun.Outcome.SUCCESS


def test_a_source_that_is_down_fails_the_run_without_raising(station, dataset, httpserver):
    from django.utils import timezone

    httpserver.expect_request("/us-counties.csv").respond_with_data("gone", status=404)
    dataset.source_url = httpserver.url_for("/us-counties.csv")
    dataset.load_hour = timezone.localtime(timezone.now(), CHICAGO).hour
    dataset.save()
    assert datadesk_nightly.call_local() is None  # recorded, logged in one line, not raised
    run = JobRun.objects.get(job="datadesk_nightly")
    assert run.outcome == JobRun.Outcome.FAILURE
    assert "HTTP 404" in run.summary
