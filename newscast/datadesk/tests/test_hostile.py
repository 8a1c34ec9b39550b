"""The data desk's dataset URL and source file against hostile answers (issue 10's suite)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from newscast.core.tests.hostile import SECRET_BODY, as_lab_host, hostile_server, lab_dns
from newscast.datadesk.models import CountyDay
from newscast.datadesk.tests.conftest import recorded


def load(*args):
    call_command("datadesk_load", *args, stdout=io.StringIO())


@pytest.mark.parametrize("target", ["{base}/secret", "http://169.254.169.254/latest/"])
def test_dataset_url_redirecting_inside_is_refused_and_keeps_the_data(loaded, settings, target):
    lab_dns(settings)
    with hostile_server(redirects={"/us-counties.csv": target}) as base:
        with pytest.raises(CommandError, match="inside the network") as info:
            load("--format", "nyt", as_lab_host(base) + "/us-counties.csv")
    assert SECRET_BODY.decode() not in str(info.value)
    assert CountyDay.objects.filter(dataset=loaded).count() == 24


def test_dataset_url_gzip_bomb_stops_at_the_cap(loaded, settings):
    settings.DATADESK_MAX_SOURCE_BYTES = 2_000_000
    with hostile_server() as base, pytest.raises(CommandError, match="2,000,000-byte cap"):
        load("--format", "nyt", base + "/gzip-bomb")
    assert CountyDay.objects.filter(dataset=loaded).count() == 24


def test_source_file_over_the_cap_is_refused(loaded, settings):
    settings.DATADESK_MAX_SOURCE_BYTES = 100
    with pytest.raises(CommandError, match="over the 100-byte cap"):
        load("--format", "nyt", recorded("nyt_us_counties.csv"))
    assert CountyDay.objects.filter(dataset=loaded).count() == 24


def test_uploaded_source_file_over_the_cap_is_refused(dataset, settings):
    settings.DATADESK_MAX_SOURCE_BYTES = 100
    dataset.source_file = SimpleUploadedFile("counties.csv", b"date,county\n" * 20)
    with pytest.raises(ValidationError) as info:
        dataset.clean()
    assert "over the 100-byte cap" in str(info.value.message_dict["source_file"])
