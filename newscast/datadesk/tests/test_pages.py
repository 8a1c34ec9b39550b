"""Pages, downloads and the API, through Django's test client."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newscast.datadesk.models import CountyDay
from newscast.datadesk.services import dataset_load
from newscast.datadesk.tests.conftest import recorded


@pytest.fixture
def site_client(client):
    client.defaults["HTTP_HOST"] = "localhost"
    return client


def test_data_index_lists_datasets_and_covered_states(station, loaded, site_client):
    html = site_client.get("/data/").content.decode()
    assert "Coronavirus Cases" in html
    assert "/data/coronavirus/ms/" in html and "/data/coronavirus/al/" in html
    assert "606 confirmed" in html


def test_state_page_totals_freshness_table_chart_and_map(station, loaded, site_client):
    response = site_client.get("/data/coronavirus/ms/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mississippi Coronavirus Cases" in html
    assert "Data is updated nightly. Last updated" in html
    assert "Figures as of Apr 12, 2020" in html
    assert '<svg class="chart"' in html and '<desc id="state-chart-desc">' in html
    assert '<svg class="county-map"' in html
    assert html.count("<path d=") == 82  # every Mississippi county is drawn
    assert "Hinds: 84 cases per 100,000" in html  # 195 / 231,840 residents
    assert "Sample data" not in html


def test_state_table_sorts_by_each_column(station, loaded, site_client):
    def first_county(query):
        html = site_client.get(f"/data/coronavirus/ms/{query}").content.decode()
        tbody = html.split('<table class="data-table">')[1].split("<tbody>")[1]
        return tbody.split('<th scope="row">')[1].split("</a>")[0].split(">")[-1]

    assert first_county("") == "Hinds"
    assert first_county("?sort=county&order=asc") == "DeSoto"
    assert first_county("?sort=confirmed&order=asc") == "Lee"
    assert first_county("?sort=confirmed_rate&order=desc") == "Forrest"  # 110 / 74,897
    assert first_county("?sort=new_cases&order=desc") == "Hinds"


def test_state_page_queries_do_not_grow_with_history(station, loaded, site_client):
    site_client.get("/data/coronavirus/ms/")
    with CaptureQueriesContext(connection) as short:
        site_client.get("/data/coronavirus/ms/")
    dataset_load(loaded, recorded("nyt_next_day.csv"), "nyt")
    site_client.get("/data/coronavirus/ms/")  # warm the sidebar's caches again
    with CaptureQueriesContext(connection) as longer:
        site_client.get("/data/coronavirus/ms/")
    assert len(longer) == len(short)


def test_county_page(station, loaded, site_client):
    html = site_client.get("/data/coronavirus/ms/28081/").content.decode()
    assert "Lee County, Mississippi" in html
    assert "Population 85,436" in html
    assert '<svg class="chart"' in html


def test_unknown_places_are_404(station, loaded, site_client):
    assert site_client.get("/data/coronavirus/zz/").status_code == 404
    assert site_client.get("/data/coronavirus/tx/").status_code == 404  # no figures
    assert site_client.get("/data/coronavirus/ms/01073/").status_code == 404  # AL county
    assert site_client.get("/data/nothing/").status_code == 404


def test_sample_data_is_labelled_on_every_page(station, loaded, site_client):
    loaded.is_sample = True
    loaded.save()
    for url in [
        "/data/",
        "/data/coronavirus/",
        "/data/coronavirus/ms/",
        "/data/coronavirus/ms/28081/",
    ]:
        assert "Sample data" in site_client.get(url).content.decode(), url


def test_csv_and_json_downloads(station, loaded, site_client):
    response = site_client.get("/data/coronavirus/ms.csv")
    assert response["Content-Disposition"] == 'attachment; filename="coronavirus-ms.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["county"] for row in rows] == ["Hinds", "DeSoto", "Forrest", "Lee", "Unassigned"]
    assert rows[0]["as_of"] == "2020-04-12" and rows[0]["fips"] == "28049"
    body = json.loads(site_client.get("/data/coronavirus/al.json").content)
    assert (body["confirmed"], body["deaths"]) == (821, 22)
    history = b"".join(site_client.get("/data/coronavirus/ms/history.csv").streaming_content)
    lines = history.decode().splitlines()
    assert lines[0] == "date,county,fips,confirmed,deaths,revised_down,sample,source"
    assert len(lines) == 1 + 15


def test_api_state_in_widget_order(station, loaded, site_client):
    body = site_client.get("/api/v1/data/coronavirus/states/MS/").json()
    assert body["as_of"] == "2020-04-12"
    assert (body["confirmed"], body["deaths"]) == (606, 14)
    assert [(c["county"], c["fips"], c["confirmed"]) for c in body["counties"]] == [
        ("Hinds", "28049", 195),
        ("DeSoto", "28033", 183),
        ("Forrest", "28035", 110),
        ("Lee", "28081", 58),
        ("Unassigned", "90028", 60),
    ]


def test_api_datasets_series_and_openapi(station, loaded, site_client):
    datasets = site_client.get("/api/v1/data/datasets/").json()
    assert datasets[0]["slug"] == "coronavirus" and datasets[0]["last_updated"]
    assert datasets[0]["states"] == ["MS", "AL"]  # the station's covered states
    series = site_client.get("/api/v1/data/coronavirus/states/AL/series/").json()
    assert [day["confirmed"] for day in series["days"]] == [740, 780, 821]
    county = site_client.get("/api/v1/data/coronavirus/counties/28081/").json()
    assert county["place"] == "Lee County, Mississippi"
    assert site_client.get("/api/v1/data/coronavirus/counties/99999/").status_code == 404
    openapi = site_client.get("/api/v1/data/openapi.json").json()
    assert "/api/v1/data/{dataset}/states/{state}/" in openapi["paths"]


def test_revised_rows_are_marked_in_the_table(station, loaded, site_client):
    dataset_load(loaded, recorded("nyt_correction_lee_falls.csv"), "nyt")
    assert CountyDay.objects.filter(revised_down=True).count() == 1
    html = site_client.get("/data/coronavirus/ms/").content.decode()
    assert "(revised)" in html


def test_a_partial_day_carries_each_county_forward(station, loaded, site_client):
    """A day with only some counties (a partial file) does not shrink the state: the others
    keep their latest figure, are named as not reported, and every view agrees."""
    dataset_load(loaded, recorded("nyt_partial_day.csv"), "nyt")
    # Mississippi on 13 April: Hinds 203, Lee 61, Unknown 63 new; DeSoto 183 and Forrest 110
    # carried from the 12th. Deaths 5 + 4 + 0 + 2 + 4.
    api = site_client.get("/api/v1/data/coronavirus/states/MS/").json()
    assert (api["as_of"], api["confirmed"], api["deaths"]) == ("2020-04-13", 620, 15)
    assert api["not_reported"] == ["DeSoto", "Forrest"]
    by_county = {c["county"]: c["reported_on"] for c in api["counties"]}
    assert by_county == {
        "Hinds": "2020-04-13",
        "DeSoto": "2020-04-12",
        "Forrest": "2020-04-12",
        "Lee": "2020-04-13",
        "Unassigned": "2020-04-13",
    }
    series = site_client.get("/api/v1/data/coronavirus/states/MS/series/").json()
    assert [day["confirmed"] for day in series["days"]] == [543, 572, 606, 620]
    body = json.loads(site_client.get("/data/coronavirus/al.json").content)
    assert (body["confirmed"], body["deaths"], body["not_reported"]) == (
        830,
        22,
        ["Mobile", "Unassigned"],
    )
    html = site_client.get("/data/coronavirus/ms/").content.decode()
    assert '<dd class="num">620</dd>' in html
    assert "Not reported on Apr 13, 2020: DeSoto, Forrest." in html
    assert 'Forrest</a> <span class="data-table__stale">(as of Apr 12, 2020)</span>' in html
    # The chart's last day is the 13th's real new cases (8 + 3 + 3), not a fall to zero.
    assert '<tr><th scope="row">Apr 13, 2020</th><td class="num">14</td>' in html
    rows = list(csv.DictReader(io.StringIO(site_client.get("/data/coronavirus/ms.csv").text)))
    assert sum(int(row["confirmed"]) for row in rows) == 620


def test_a_rate_of_zero_is_zero_in_downloads_and_the_api(station, dataset, site_client, tmp_path):
    source = tmp_path / "sharkey.csv"
    source.write_text(
        "date,county,state,fips,cases,deaths\n2020-04-10,Sharkey,Mississippi,28125,3,0\n"
    )
    dataset_load(dataset, str(source), "nyt")
    api = site_client.get("/api/v1/data/coronavirus/states/MS/").json()
    assert api["counties"][0]["deaths_per_100k"] == 0.0
    body = json.loads(site_client.get("/data/coronavirus/ms.json").content)
    assert body["counties"][0]["deaths_per_100k"] == 0.0
    rows = list(csv.DictReader(io.StringIO(site_client.get("/data/coronavirus/ms.csv").text)))
    assert rows[0]["deaths_per_100k"] == "0.0"


def test_csv_download_says_whether_it_is_sample_data(station, loaded, site_client):
    rows = list(csv.DictReader(io.StringIO(site_client.get("/data/coronavirus/ms.csv").text)))
    assert {row["sample"] for row in rows} == {"False"}
    loaded.is_sample = True
    loaded.save()
    rows = list(csv.DictReader(io.StringIO(site_client.get("/data/coronavirus/ms.csv").text)))
    assert {row["sample"] for row in rows} == {"True"}


def test_sample_label_once_in_the_heading_area(station, loaded, site_client):
    loaded.is_sample = True
    loaded.save()
    for url in ["/data/coronavirus/", "/data/coronavirus/ms/", "/data/coronavirus/ms/28081/"]:
        html = site_client.get(url).content.decode()
        main = html.split('<main id="main"')[1].split("</main>")[0]
        assert main.count("Sample data") == 1, url
