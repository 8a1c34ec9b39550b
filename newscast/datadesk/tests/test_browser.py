"""The data pages in chromium: readable, sortable without JavaScript, axe-clean, phone-wide."""

import re

import pytest
from playwright.sync_api import expect

from conftest import axe_serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def sample(station, loaded):
    loaded.is_sample = True
    loaded.save()
    return loaded


def test_state_page_on_desktop(live_server, browser_page, sample, artifacts_dir):
    page = browser_page
    page.goto(f"{live_server.url}/data/coronavirus/ms/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mississippi Coronavirus Cases"
    main = page.locator("main").inner_text()
    assert main.count("Sample data") == 1  # once in the heading area, not also in the h1
    assert page.get_by_role("img", name="Daily new confirmed cases, Mississippi").is_visible()
    assert page.get_by_role("img", name="Cases per 100,000 by county, Mississippi").is_visible()
    assert page.locator(".sample-label").first.is_visible()
    page.screenshot(path=artifacts_dir / "datadesk-state-desktop.png", full_page=True)
    assert axe_serious_violations(page) == []


def test_table_sorts_by_a_heading_link_without_javascript(live_server, chromium_browser, sample):
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/data/coronavirus/ms/")
    table = page.locator("table.data-table")
    assert table.locator("tbody tr th").first.inner_text() == "Hinds"
    table.get_by_role("link", name="County").click()
    # expect() waits for the sorted page; a plain read could still see the first one.
    expect(table.locator("tbody tr th").first).to_have_text("DeSoto")
    expect(table.locator("th[aria-sort=ascending]")).to_have_text(re.compile(r"^\s*County"))
    context.close()


def test_state_and_county_pages_fit_a_phone(live_server, phone_page, sample, artifacts_dir):
    for path in ("/data/coronavirus/ms/", "/data/coronavirus/ms/28081/", "/data/"):
        phone_page.goto(f"{live_server.url}{path}")
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
        assert axe_serious_violations(phone_page) == [], path
    phone_page.goto(f"{live_server.url}/data/coronavirus/ms/")
    phone_page.screenshot(path=artifacts_dir / "datadesk-state-phone.png", full_page=True)


def test_widget_in_the_sidebar(live_server, browser_page, sample):
    browser_page.goto(f"{live_server.url}/data/")
    widget = browser_page.locator(".datadesk-widget").first
    assert widget.get_by_role("heading").inner_text() == "Mississippi Coronavirus Cases"
    assert "Data is updated nightly." in widget.inner_text()
    assert axe_serious_violations(browser_page) == []


def test_widget_is_short_on_pages_outside_data(live_server, browser_page, sample, tmp_path):
    """Pages outside /data/ (home, stories, weather) do not load datadesk.css: the widget
    brings its own small stylesheet, so each county table scrolls in a short box."""
    from newscast.core.geography.census import reference_rows, short_name
    from newscast.datadesk.services import dataset_load

    # Every Mississippi county reports, as in the demo: a long table.
    lines = ["date,county,state,fips,cases,deaths"] + [
        f"2020-04-13,{short_name(row['county'])},Mississippi,{row['fips']},5,0"
        for row in reference_rows()
        if row["state"] == "Mississippi"
    ]
    source = tmp_path / "every-county.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dataset_load(sample, str(source), "nyt")
    browser_page.goto(f"{live_server.url}/weather/")  # a page without datadesk.css
    box = browser_page.locator(".datadesk-widget__scroll").first
    assert box.locator("tbody tr").count() == 82 + 1  # every county is there, and Unassigned
    assert box.bounding_box()["height"] <= 24 * 16
