"""Admin screens: datasets are edited as snippets; load records can be read, not written."""

import re

import pytest

from newscast.datadesk.models import LoadRun


@pytest.fixture
def admin(admin_client):
    admin_client.defaults["HTTP_HOST"] = "localhost"
    return admin_client


def test_dataset_list_and_edit_form(admin, loaded):
    listing = admin.get("/admin/snippets/datadesk/dataset/")
    assert listing.status_code == 200
    assert "Coronavirus Cases" in listing.content.decode()
    form = admin.get(f"/admin/snippets/datadesk/dataset/edit/{loaded.pk}/").content.decode()
    for field in ("source_url", "load_hour", "max_rejected_share", "column_confirmed"):
        assert f'name="{field}"' in form


def test_load_records_are_listed_and_inspectable_but_not_editable(admin, loaded):
    run = LoadRun.objects.get()
    listing = admin.get("/admin/datadesk_loads/")
    assert listing.status_code == 200
    inspect = admin.get(f"/admin/datadesk_loads/inspect/{run.pk}/")
    assert inspect.status_code == 200
    assert run.checksum in inspect.content.decode()
    assert admin.get("/admin/datadesk_loads/new/").status_code in (302, 403)
    assert admin.get(f"/admin/datadesk_loads/edit/{run.pk}/").status_code in (302, 403)


def test_load_list_shows_source_reason_and_seconds(admin, loaded):
    from newscast.datadesk.services import LoadRefused, dataset_load
    from newscast.datadesk.tests.conftest import recorded

    with pytest.raises(LoadRefused):
        dataset_load(loaded, recorded("nyt_wrong_header.csv"), "nyt")
    html = admin.get("/admin/datadesk_loads/").content.decode()
    assert "nyt_us_counties.csv" in html and "nyt_wrong_header.csv" in html
    assert "Wrong header for the NYT format" in html  # the refused load's reason
    assert re.search(r"\d+\.\d\d s\b", html)  # durations carry their unit
    assert ". a.m." not in html and ". p.m." not in html  # the house date style


def test_load_now_loads_the_dataset_source(admin, dataset, httpserver):
    from newscast.datadesk.tests.conftest import RECORDED

    listing = admin.get("/admin/snippets/datadesk/dataset/").content.decode()
    assert f"/admin/datadesk/datasets/{dataset.pk}/load/" in listing
    assert "Load now" in admin.get(f"/admin/datadesk/datasets/{dataset.pk}/load/").content.decode()
    response = admin.post(f"/admin/datadesk/datasets/{dataset.pk}/load/")
    assert response.status_code == 302  # no source yet: back to the form, nothing loaded
    assert not LoadRun.objects.exists()
    body = (RECORDED / "nyt_us_counties.csv").read_bytes()
    httpserver.expect_request("/us-counties.csv").respond_with_data(body, content_type="text/csv")
    dataset.source_url = httpserver.url_for("/us-counties.csv")
    dataset.save()
    response = admin.post(f"/admin/datadesk/datasets/{dataset.pk}/load/")
    assert response["Location"] == "/admin/datadesk_loads/"
    run = LoadRun.objects.get()  # Huey runs tasks inline in tests
    assert (run.outcome, run.rows_added) == (LoadRun.Outcome.SUCCESS, 24)
