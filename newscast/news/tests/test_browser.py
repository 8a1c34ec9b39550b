"""Reader's path in chromium: home -> story -> section -> search, then the story at phone width.

One test, so the demo newsroom loads once (a transactional test empties the database after).
"""

import io

import pytest
from playwright.sync_api import expect

from conftest import axe_serious_violations
from newscast.home import demo_newsroom as demo
from newscast.news.models import StoryPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def newsroom(station, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEDIA_URL = "/media/"
    demo.load(io.StringIO())


def test_reader_path_and_phone_width(
    live_server, browser_page, phone_page, newsroom, artifacts_dir
):
    page = browser_page
    page.goto(f"{live_server.url}/")
    assert axe_serious_violations(page) == []

    lead_title = demo.STORIES[0][3]
    page.get_by_role("link", name=lead_title).first.click()
    # expect() waits for the clicked page; is_visible() alone could read it mid-load.
    expect(page.get_by_role("heading", level=1, name=lead_title)).to_be_visible()
    expect(page.get_by_text("Posted:")).to_be_visible()
    assert axe_serious_violations(page) == []

    page.locator(".story__section a").click()
    expect(page.get_by_role("heading", level=1, name="Local")).to_be_visible()
    assert axe_serious_violations(page) == []

    assert heading_order_violations(page) == []
    assert_imageless_cards_use_the_full_row(page)

    page.get_by_label("Search stories").fill("splash pads")
    page.get_by_label("Search stories").press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.get_by_role("link", name=lead_title)).to_be_visible()
    assert axe_serious_violations(page) == []
    assert heading_order_violations(page) == []

    page.goto(f"{live_server.url}/tags/tupelo/")
    assert heading_order_violations(page) == []

    story = StoryPage.objects.get(title=lead_title)
    phone_page.goto(f"{live_server.url}{story.url}")

    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the story page scrolls sideways on a phone ({width}px wide)"
    phone_page.screenshot(path=str(artifacts_dir / "news-story-phone.png"), full_page=True)
    phone_page.goto(f"{live_server.url}/")
    phone_page.screenshot(path=str(artifacts_dir / "news-home-phone.png"), full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    header = phone_page.locator(".site-header").bounding_box()
    assert header["height"] <= 120, f"the phone header takes {header['height']}px"
    # Every section link can still be reached and followed at phone width.
    sections = phone_page.locator(".site-nav a")
    assert sections.count() >= 4
    weather_link = phone_page.locator(".site-nav a", has_text="Weather")
    weather_link.scroll_into_view_if_needed()
    assert weather_link.is_visible()
    phone_page.locator(".site-nav a", has_text="Local").click()
    phone_page.wait_for_url("**/local/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


def heading_order_violations(page) -> list[dict]:
    """axe's heading-order rule (moderate, so axe_serious_violations does not report it)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": ["heading-order"]})
    return results.response["violations"]


def assert_imageless_cards_use_the_full_row(page) -> None:
    cards = page.locator(".story-list .story-card--no-image")
    assert cards.count() >= 1, "the demo's Local section has a story without an image"
    card = cards.first.bounding_box()
    text = cards.first.locator(".story-card__text").bounding_box()
    assert text["width"] >= card["width"] - 1, "an imageless card squeezes into the image column"
