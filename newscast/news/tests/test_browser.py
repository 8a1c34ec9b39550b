"""Reader's path in chromium: home -> story -> section -> search, then the story at phone width.

One test, so the demo newsroom loads once (a transactional test empties the database after).
"""

import io

import pytest

from conftest import axe_serious_violations
from newscast.news import demo
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
    assert page.get_by_role("heading", level=1, name=lead_title).is_visible()
    assert page.get_by_text("Posted:").is_visible()
    assert axe_serious_violations(page) == []

    page.locator(".story__section a").click()
    assert page.get_by_role("heading", level=1, name="Local").is_visible()
    assert axe_serious_violations(page) == []

    page.get_by_label("Search stories").fill("splash pads")
    page.get_by_label("Search stories").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("link", name=lead_title).is_visible()
    assert axe_serious_violations(page) == []

    story = StoryPage.objects.get(title=lead_title)
    phone_page.goto(f"{live_server.url}{story.url}")

    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the story page scrolls sideways on a phone ({width}px wide)"
    phone_page.screenshot(path=str(artifacts_dir / "news-story-phone.png"), full_page=True)
    phone_page.goto(f"{live_server.url}/")
    phone_page.screenshot(path=str(artifacts_dir / "news-home-phone.png"), full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
