"""The sidebar widget: each covered state's totals and counties in the seed's order."""

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from newscast.core.selectors import station_for
from newscast.datadesk.services import dataset_load
from newscast.datadesk.tests.conftest import recorded


def render_widget(rf=None):
    request = (rf or RequestFactory()).get("/", HTTP_HOST="localhost")
    template = Template("{% load datadesk_tags %}{% datadesk_widget %}")
    return template.render(Context({"request": request}))


def county_rows(html, state_name):
    section = html.split(f"{state_name} Coronavirus Cases")[1].split("</section>")[0]
    cells = (
        r'<tr><th scope="row">([^<]+)</th>'
        r'<td class="num">([\d,]+)</td><td class="num">([\d,–]*)</td>'
    )
    return re.findall(cells, section)


def test_widget_shows_each_covered_state_with_totals_and_the_seed_order(station, loaded):
    html = render_widget()
    assert html.index("Mississippi Coronavirus Cases") < html.index("Alabama Coronavirus Cases")
    assert html.count("Data is updated nightly.") == 2
    # 12 April: Hinds 195, DeSoto 183, Forrest 110, Lee 58; Unknown (60) is Unassigned: last.
    assert county_rows(html, "Mississippi") == [
        ("Hinds", "195", "4"),
        ("DeSoto", "183", "2"),
        ("Forrest", "110", "4"),
        ("Lee", "58", "4"),
        ("Unassigned", "60", "0"),
    ]
    assert "<strong>Confirmed Cases:</strong> 606" in html  # 195+183+110+58+60
    assert "<strong>Reported Deaths:</strong> 14" in html
    assert county_rows(html, "Alabama")[0] == ("Jefferson", "481", "13")
    assert "Sample data" not in html


def test_widget_labels_sample_data(station, loaded):
    assert "Sample data" not in render_widget()
    loaded.is_sample = True
    loaded.save()  # an edit in the admin shows at once: it changes the cache key
    assert render_widget().count("Sample data") == 2


def test_widget_follows_the_covered_states(station, loaded):
    station.covered_states.filter(postal_code="AL").delete()
    html = render_widget()
    assert "Mississippi Coronavirus Cases" in html
    assert "Alabama" not in html


def test_widget_is_cached_with_constant_queries(station, loaded):
    # The station settings stay cached across requests (core.selectors.station_for): read
    # them once, so "cold" below counts the widget's own queries.
    station_for(RequestFactory().get("/", HTTP_HOST="localhost"))
    with CaptureQueriesContext(connection) as cold:
        render_widget()
    with CaptureQueriesContext(connection) as warm:
        html = render_widget()
    assert "Hinds" in html
    # Warm: the site, and the page's versions (the latest load and dataset edit among them)
    # in one query; the settings and their covered states come from the cache.
    assert len(warm) == 2 < len(cold)
    dataset_load(loaded, recorded("nyt_next_day.csv"), "nyt")
    with CaptureQueriesContext(connection) as longer:
        html = render_widget()
    assert ("Hinds", "203", "5") in county_rows(html, "Mississippi")
    assert len(longer) == len(cold)  # a longer history costs no more queries


def test_widget_separates_thousands_like_the_pages(station, dataset, tmp_path):
    source = tmp_path / "big.csv"
    source.write_text(
        "date,county,state,fips,cases,deaths\n"
        "2020-11-05,Hinds,Mississippi,28049,15699,300\n"
        "2020-11-05,Lee,Mississippi,28081,1000,27\n"
    )
    dataset_load(dataset, str(source), "nyt")
    html = render_widget()
    assert "<strong>Confirmed Cases:</strong> 16,699" in html
    assert county_rows(html, "Mississippi") == [("Hinds", "15,699", "300"), ("Lee", "1,000", "27")]


def test_widget_keeps_counties_that_did_not_report_the_latest_day(station, loaded):
    dataset_load(loaded, recorded("nyt_partial_day.csv"), "nyt")
    html = render_widget()
    assert "<strong>Confirmed Cases:</strong> 620" in html  # not 327: Hinds, Lee, Unknown only
    assert "Not reported on Apr 13, 2020: DeSoto, Forrest." in html
    section = html.split("Mississippi Coronavirus Cases")[1].split("</section>")[0]
    assert section.count('<th scope="row">') == 5


def test_widget_is_empty_without_a_dataset(station, db):
    assert render_widget().strip() == ""


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    from newscast.core.versioned_cache import local_clear

    cache.clear()
    local_clear()


def test_widget_credits_the_source_and_says_how_totals_were_made(station, loaded):
    loaded.source_name = "The New York Times"
    loaded.source_link = "https://github.com/nytimes/covid-19-data"
    loaded.source_terms = "CC BY-NC 4.0"
    loaded.save()
    html = render_widget()
    assert (
        'Source: <a href="https://github.com/nytimes/covid-19-data">The New York Times</a> '
        "(CC BY-NC 4.0). Totals: sum of county figures, as of Apr 12, 2020."
    ) in html
