import pytest

from conftest import axe_serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_not_found_page_in_chromium(live_server, browser_page, station):
    response = browser_page.goto(f"{live_server.url}/no-such-story/")
    assert response.status == 404
    assert browser_page.get_by_role("heading", name="We couldn't find that page").is_visible()
    assert axe_serious_violations(browser_page) == []
