"""`newscast data add / list`: datasets set up from scripts, then loaded and listed."""

import io
import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from newscast.datadesk.models import Dataset
from newscast.datadesk.services import datasets_due
from newscast.datadesk.tests.conftest import recorded

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_a_nightly_dataset_from_a_url(geography):
    out = run("datadesk_add", "flu", "--name", "Flu Cases", "--format", "csv",
              "--url", "https://health.example.gov/flu.csv")  # fmt: skip
    assert "Added dataset 'flu' (Flu Cases, csv); loaded nightly. Its page: /data/flu/" in out
    flu = Dataset.objects.get(slug="flu")
    assert (flu.name, flu.source_format, flu.source_url) == (
        "Flu Cases", "csv", "https://health.example.gov/flu.csv",
    )  # fmt: skip
    # The admin's defaults: nightly at 02:00 station time, not sample data.
    assert (flu.nightly, flu.load_hour, flu.is_sample) == (True, 2, False)
    assert datasets_due(datetime(2026, 11, 28, 2, 0, tzinfo=UTC)) == [flu]


def test_a_dataset_without_url_is_loaded_by_hand_then_listed(geography):
    out = run("datadesk_add", "coronavirus", "--name", "Coronavirus Cases", "--format", "nyt")
    assert "no source yet: load a file" in out
    listed = json.loads(run("datadesk_list", "--json"))
    assert listed == [
        {"slug": "coronavirus", "name": "Coronavirus Cases", "format": "nyt", "source": None,
         "nightly": True, "is_sample": False, "rows": 0, "last_loaded_at": None},
    ]  # fmt: skip
    with time_machine.travel(datetime(2026, 11, 28, 16, 0, tzinfo=UTC), tick=False):
        run("datadesk_load", recorded("nyt_us_counties.csv"), "--dataset", "coronavirus")
    listed = json.loads(run("datadesk_list", "--json"))
    assert listed[0]["rows"] == 24
    assert listed[0]["last_loaded_at"].startswith("2026-11-28T16:00:00")
    text = run("datadesk_list").splitlines()
    assert text[0].split() == ["slug", "name", "format", "rows", "last_loaded_at", "source"]
    assert text[1].split()[:5] == ["coronavirus", "Coronavirus", "Cases", "nyt", "24"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Flu Cases", "--name", "Flu", "--format", "csv"], "slug: Enter a valid .slug."),
        (["flu", "--name", "Flu", "--format", "csv", "--url", "file:///etc/passwd"],
         "source_url: Enter a valid URL."),
        (["flu", "--name", "", "--format", "csv"], "name: This field cannot be blank."),
        (["flu", "--name", "Flu", "--format", "csv", "--url", "ftps://health.example.gov/f.csv"],
         "source_url: Enter an http:// or https:// address."),
    ],
)  # fmt: skip
def test_add_refuses_bad_input_and_adds_nothing(geography, args, message):
    with pytest.raises(CommandError, match=message):
        run("datadesk_add", *args)
    assert not Dataset.objects.exists()


def test_add_refuses_a_slug_already_taken(dataset):
    with pytest.raises(CommandError, match="slug: Dataset with this Slug already exists"):
        run("datadesk_add", "coronavirus", "--name", "Other", "--format", "jhu")
    assert Dataset.objects.get().name == "Coronavirus Cases"


def test_add_refuses_an_unknown_format(geography):
    with pytest.raises(CommandError, match="invalid choice: 'xlsx'"):
        run("datadesk_add", "flu", "--name", "Flu", "--format", "xlsx")


def test_list_with_no_datasets(geography):
    assert "No datasets yet" in run("datadesk_list")
