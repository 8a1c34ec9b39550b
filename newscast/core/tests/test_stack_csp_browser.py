"""The Content-Security-Policy breaks nothing readers or editors load, in a real browser.

Django's test client renders each page (headers included, so the browser applies the policy)
and chromium loads it from http://testserver/, its static files from the finders. No live
server: the test keeps to its own database transaction.
"""

import importlib
import io
import mimetypes
import pkgutil
from pathlib import Path

import pytest

import newscast

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
ORIGIN = "http://testserver"


def load_every_demo():
    for app in pkgutil.iter_modules(newscast.__path__):
        try:
            module = importlib.import_module(f"newscast.{app.name}.demo")
        except ModuleNotFoundError:
            continue
        module.load(io.StringIO())


def served_by_django(page, client, paths):
    """Render the pages now, in the test's thread; the browser's requests get these answers."""
    from django.contrib.staticfiles import finders

    rendered = {path: client.get(path) for path in paths}

    def answer(route):
        path = route.request.url.removeprefix(ORIGIN).split("?")[0]
        static = path.startswith("/static/") and finders.find(path.removeprefix("/static/"))
        if path in rendered:
            response = rendered[path]
            headers = dict(response.items())
            route.fulfill(status=response.status_code, headers=headers, body=response.content)
        elif static:
            kind = mimetypes.guess_type(static)[0] or "application/octet-stream"
            route.fulfill(status=200, content_type=kind, body=Path(static).read_bytes())
        else:
            route.fulfill(status=404, body=b"")

    page.route(f"{ORIGIN}/**", answer)
    return page


def policy_complaints(page, path) -> list[str]:
    complaints = []
    page.on("console", lambda message: complaints.append(message.text))
    response = page.goto(ORIGIN + path)
    assert response.status == 200, path
    page.wait_for_load_state("load")
    return [text for text in complaints if "Content Security Policy" in text]


def test_readers_pages_and_the_admin_login_keep_to_the_policy(client, browser_page):
    from wagtail.models import Page

    load_every_demo()
    story = Page.objects.live().filter(depth__gte=3).order_by("-first_published_at").first()
    paths = ["/", "/weather/", "/data/", "/admin/login/"] + ([story.url] if story else [])
    page = served_by_django(browser_page, client, paths)
    # The policy is report-only outside production: the browser says what it would block.
    for path in paths:
        assert policy_complaints(page, path) == [], path


@pytest.mark.urls("newscast.core.tests.stack_urls")
def test_an_inline_script_is_reported(client, browser_page):
    page = served_by_django(browser_page, client, ["/inline-script/"])
    complaints = policy_complaints(page, "/inline-script/")
    assert complaints and "script-src" in complaints[0]
