"""A web process warms in gunicorn's master: each kind of page rendered once, then every
connection closed before the workers fork (newscast/core/warmup.py)."""

import logging
import runpy

import pytest
from django.db import connection
from wagtail.models import Page, Site

from newscast.core.stack import GUNICORN_CONFIG
from newscast.core.warmup import warm_up, warm_up_requests
from newscast.home.demo_newsroom import home_page_ensure
from newscast.news.models import SectionPage, StoryPage
from newscast.news.services import story_file_live

# Transactional: the warm-up closes the database connection, as it must before a fork.
pytestmark = pytest.mark.django_db(transaction=True)


def closed(connection) -> bool:
    # Django keeps an in-memory SQLite database (the SQLite suite's) open: closing it would
    # lose it. On PostgreSQL the connection really is closed.
    return connection.connection is None or connection.is_in_memory_db()


@pytest.fixture
def newsroom(station):
    """A home page, a section and two stories in it."""
    home = home_page_ensure(Site.objects.get(is_default_site=True))
    section = SectionPage(title="Local", slug="local")
    home.add_child(instance=section)
    section.save_revision().publish()
    for title in ("County road work starts Monday", "Bridge reopens after repairs"):
        story_file_live(section, title=title, summary="A sample story.", body=[])


def test_the_newest_page_of_each_kind_is_rendered(newsroom):
    done = warm_up()
    answers = {w.path: w.status for w in done}
    kinds = Page.objects.live().exclude(depth=1).values("content_type").distinct().count()
    assert len(done) == kinds
    assert answers["/"] == 200
    newest, older = StoryPage.objects.live().order_by("-last_published_at", "-pk")[:2]
    assert answers[newest.url] == 200
    assert older.url not in answers  # one page of each kind
    assert all(status == 200 for status in answers.values()), answers


def test_no_connection_is_left_open_for_the_workers_to_share(newsroom):
    warm_up()
    assert closed(connection)


def test_only_pages_of_hosts_this_site_answers_are_asked_for(newsroom, settings):
    assert warm_up_requests()
    settings.ALLOWED_HOSTS = ["www.example.org"]
    assert warm_up_requests() == []


def test_a_process_that_cannot_warm_still_starts(newsroom, settings, caplog):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "newscast.core.no_such_middleware.Missing"]
    with caplog.at_level(logging.WARNING, logger="newscast.core.warmup"):
        assert warm_up() == []
    assert "warm-up stopped early" in caplog.text
    assert closed(connection)


class GunicornLog:
    def __init__(self):
        self.lines = []

    def info(self, message, *args):
        self.lines.append(message % args)


class Master:
    """What gunicorn hands its hooks: here only its log is read."""

    def __init__(self):
        self.log = GunicornLog()


def test_gunicorns_master_warms_before_it_forks(newsroom, monkeypatch):
    monkeypatch.delenv("GUNICORN_WARM_UP", raising=False)
    master = Master()
    runpy.run_path(str(GUNICORN_CONFIG))["when_ready"](master)
    [line] = master.log.lines
    assert line.startswith("warm-up: / 200, /local/ 200, ")


def test_the_warm_up_can_be_turned_off(newsroom, monkeypatch):
    monkeypatch.setenv("GUNICORN_WARM_UP", "false")
    master = Master()
    runpy.run_path(str(GUNICORN_CONFIG))["when_ready"](master)
    assert master.log.lines == []
