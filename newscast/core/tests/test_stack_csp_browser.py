"""The Content-Security-Policy breaks nothing readers or editors load, in a real browser."""

import importlib
import io
import pkgutil

import pytest

import newscast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def load_every_demo():
    for app in pkgutil.iter_modules(newscast.__path__):
        try:
            module = importlib.import_module(f"newscast.{app.name}.demo")
        except ModuleNotFoundError:
            continue
        module.load(io.StringIO())


def policy_complaints(page, url) -> list[str]:
    complaints = []
    page.on("console", lambda message: complaints.append(message.text))
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    return [text for text in complaints if "Content Security Policy" in text]


def test_readers_pages_and_the_admin_login_keep_to_the_policy(live_server, browser_page):
    from wagtail.models import Page

    load_every_demo()
    story = Page.objects.live().filter(depth__gte=3).order_by("-first_published_at").first()
    paths = ["/", "/weather/", "/data/", "/admin/login/"] + ([story.url] if story else [])
    # The policy is report-only outside production: the browser says what it would block.
    for path in paths:
        assert policy_complaints(browser_page, live_server.url + path) == [], path


@pytest.mark.urls("newscast.core.tests.stack_urls")
def test_an_inline_script_is_reported(live_server, browser_page):
    complaints = policy_complaints(browser_page, live_server.url + "/inline-script/")
    assert complaints and "script-src" in complaints[0]
