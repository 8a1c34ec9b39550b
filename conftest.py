"""Project-wide pytest set-up shared by every desk's tests."""

import os
import re
import socket
from datetime import datetime

import pytest
import time_machine
from werkzeug import Response

# --- The clock: the suite must pass at any hour, because CI runs at whatever hour it is. ---
#
# Tests whose outcome depends on the hour, the date or the time zone freeze the clock with
# time-machine themselves. To prove it, `make test-clock` runs every clock-sensitive test again
# with the clock started (and ticking) at NEWSCAST_TEST_CLOCK, at several hours of the day and
# with another server TIME_ZONE. A test is clock-sensitive when it is marked `clock`, or when its
# module reads or moves the clock (CLOCK_WORDS), so new tests join the check by themselves.
TEST_CLOCK = os.environ.get("NEWSCAST_TEST_CLOCK", "")
CLOCK_WORDS = re.compile(
    r"time_machine|timezone\.now|timezone\.localdate|timezone\.localtime|datetime\.now"
    r"|date\.today|station_today|sample_weather"
)


def pytest_collection_modifyitems(items):
    sources: dict[str, bool] = {}
    for item in items:
        path = str(item.path)
        if path not in sources:
            sources[path] = bool(CLOCK_WORDS.search(item.path.read_text(errors="replace")))
        if sources[path]:
            item.add_marker(pytest.mark.clock)


@pytest.fixture(autouse=True)
def _test_clock(request):
    """Under `make test-clock`, start a clock-sensitive test at NEWSCAST_TEST_CLOCK (ticking),
    fixtures included; a test's own time_machine.travel still wins inside it."""
    if not TEST_CLOCK or request.node.get_closest_marker("clock") is None:
        yield
        return
    with time_machine.travel(datetime.fromisoformat(TEST_CLOCK), tick=True):
        yield


def wagtail_tree_ensure():
    """Recreate the root page and default site that Wagtail's migrations make.

    A transactional test ends by flushing every table; flush re-runs post_migrate (content
    types, permissions) but not data migrations, so later tests would find no
    Site, Locale or root Collection.
    """
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page, Site

    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    if Site.objects.filter(is_default_site=True).exists():
        return
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    welcome = root.get_children().first() or root.add_child(
        instance=Page(title="Welcome", slug="home")
    )
    Site.objects.create(hostname="localhost", port=80, root_page=welcome, is_default_site=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: widgets and menus cache what earlier tests made."""
    from django.core.cache import cache

    from newscast.core.versioned_cache import local_clear

    cache.clear()
    local_clear()
    yield
    cache.clear()
    local_clear()


@pytest.fixture(autouse=True)
def _wagtail_tree_in_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        wagtail_tree_ensure()


@pytest.fixture
def worker_queue(settings):
    """Wagtail's background tasks go to the Huey worker's queue (held in memory here) as in
    production, instead of running inside the save; `worker_queue()` runs what waits, as the
    worker would, and returns how many tasks ran."""
    from huey.contrib.djhuey import HUEY

    settings.TASKS = {"default": {"BACKEND": "newscast.core.task_backend.HueyTaskBackend"}}
    HUEY.immediate = False
    HUEY.storage = HUEY.get_immediate_storage()

    def run_waiting() -> int:
        done = 0
        while (task := HUEY.dequeue()) is not None:
            HUEY.execute(task)
            done += 1
        return done

    yield run_waiting
    HUEY.immediate = True


@pytest.fixture
def closed_port():
    """A loopback port where nothing listens, for an upstream that is down (Redis, the NWS, a
    PostgreSQL server). Bound for the whole test and never listening: connecting is refused at
    once, and no server another test starts meanwhile can take the port (a port merely found
    free could be, and a client would then talk to that server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


class RequestsSeen(list):
    """What an edge received: (path, Accept-Encoding) in order, the methods by path, and the
    Hosts whose baked pages were all deleted at once."""

    def __init__(self):
        super().__init__()
        self.methods = {}
        self.unbaked_sites = []

    def clear(self):
        super().clear()
        self.methods.clear()
        self.unbaked_sites.clear()


@pytest.fixture
def purges(httpserver, settings):
    """The edge's purge listener, a local HTTP server standing in for nginx's (the real nginx
    is in news/tests/test_edge.py), set as the only frontend-cache backend. What it received,
    purges, refreshes (BAKE) and deleted baked files: (path, Accept-Encoding); the method of
    each in .methods, by path."""
    received = RequestsSeen()

    def record(request):
        if request.headers.get("X-Edge-Unbake") == "site":
            received.unbaked_sites.append(request.headers["Host"])
            return Response("", status=204)
        encoding = request.headers.get("Accept-Encoding", "")  # urllib's own is "identity"
        received.append((request.path, "gzip" if "gzip" in encoding else ""))
        received.methods.setdefault(request.path, set()).add(request.method)
        if request.method == "BAKE":  # refreshed and baked, as nginx answers for a page
            return Response("", status=200, headers={"X-Edge-Baked": "yes"})
        return Response("", status=404)  # "not in the cache", as nginx's module answers

    httpserver.expect_request("").respond_with_handler(record)
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "newscast.core.edge.NginxPurgeBackend",
            "LOCATION": httpserver.url_for("/"),
        }
    }
    return received


@pytest.fixture
def redis_down(settings, closed_port):
    """The production cache settings (config/env.py), pointed at a loopback port where no
    Redis listens: every read misses and every write is dropped, as during a Redis outage."""
    from config.env import redis_cache_settings

    settings.CACHES = redis_cache_settings(f"redis://127.0.0.1:{closed_port}/0")


@pytest.fixture
def station(db):
    """The default site's station settings, filled like the demo station (Tupelo, MS)."""
    import io

    from wagtail.models import Site

    from newscast.core.models import StationSettings
    from newscast.home import demo

    demo.load(io.StringIO())
    return StationSettings.for_site(Site.objects.get(is_default_site=True))


# --- Browser tests: Playwright driving Debian's chromium (never a downloaded browser). ---

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = __import__("pathlib").Path(__file__).parent / "test-artifacts"
CHROMIUM_ARGS = [
    # The machine has no network but loopback: keep chromium from reaching for Google's hosts.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Module scope, not session: while Playwright's sync API is open its event loop counts as
# running in this thread, and code under test that calls asyncio.run() (the weather desk's
# concurrent refresh) would fail in every later module.
@pytest.fixture(scope="module")
def chromium_browser():
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (not the live server thread) must still be allowed.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium_browser):
    """A fresh page (own context, cookies) in chromium; closed after the test."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium_browser):
    """A page 375 px wide, like a phone."""
    context = chromium_browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts_dir():
    """Where browser tests keep screenshots (test-artifacts/, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def axe_serious_violations(page) -> list[dict]:
    """Run axe-core (the copy axe-playwright-python ships) on the page; serious+critical only."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
