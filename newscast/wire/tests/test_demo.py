"""The demo: sample feeds served by the site itself fill a section by themselves."""

import importlib
import io
import re
from datetime import timedelta

import pytest
from django.urls import clear_url_caches
from django.utils import timezone

from newscast.news.models import StoryPage
from newscast.wire import demo
from newscast.wire.models import WireFeed, WireItem
from newscast.wire.tasks import wire_poll


@pytest.mark.django_db
def test_sample_feed_answers_with_etag_and_304(client):
    first = client.get("/wire/samples/newscast-sample-wire.xml")
    assert first.status_code == 200 and first["Content-Type"].startswith("application/rss+xml")
    assert (
        b"SAMPLE_BASE_URL" not in first.content
        and b"http://testserver/wire/samples/grid.jpg" in first.content
    )
    again = client.get("/wire/samples/newscast-sample-wire.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get("/wire/samples/grid.jpg")["Content-Type"] == "image/jpeg"
    assert client.get("/wire/samples/..%2Fmodels.py").status_code == 404
    assert client.get("/wire/samples/newscast-sample-wire.2.xml").status_code == 404


@pytest.mark.django_db
def test_every_sample_story_links_an_original_page_that_exists(client):
    from newscast.wire.parse import parse_feed

    feed = parse_feed(client.get("/wire/samples/newscast-sample-wire.xml").content)
    assert feed.entries
    for entry in feed.entries:
        assert entry.link.startswith("http://testserver/wire/samples/stories/")
        page = client.get(entry.link.removeprefix("http://testserver"))
        assert page.status_code == 200, entry.link
        html = page.content.decode()
        assert f"<h1>{entry.headline}</h1>" in html
        assert "Fictional sample story, not real news" in html and "<script" not in html
        for href in re.findall(r'href="(/[^"]*)"', entry.body_html):  # links inside the copy
            assert client.get(href).status_code == 200, href
    assert client.get("/wire/samples/stories/no-such-story").status_code == 404


# The live server reads what the test writes, so the test commits (the root conftest
# rebuilds the site rows that migrations create once a flush has removed them).
@pytest.mark.django_db(transaction=True)
def test_demo_feeds_fill_a_section_by_themselves(live_server, settings, station):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    demo.load(io.StringIO())
    demo.load(io.StringIO())  # idempotent
    assert WireFeed.objects.count() == 2
    wire_poll.call_local()
    section = demo.section_for_wire()
    stories = StoryPage.objects.child_of(section).live()
    assert stories.count() == 6
    grid = stories.get(title__startswith="Regional power grid")
    assert grid.lead_image is not None and grid.source_credit.endswith("(fictional)")
    assert all("Sample wire copy" in s.body.raw_data[0]["value"] for s in stories)

    # Some minutes on, the sample wire sends its second edition: an update and a withdrawal.
    WireItem.objects.update(first_seen_at=timezone.now() - timedelta(minutes=6))
    WireFeed.objects.update(last_polled_at=timezone.now() - timedelta(minutes=2))
    from newscast.core.models import JobRun

    JobRun.objects.all().delete()  # a new slot for the job in the same minute
    wire_poll.call_local()
    grid.refresh_from_db()
    assert grid.title.startswith("Grid operator asks for conservation")
    assert grid.update_note.startswith(
        "Updated from Newscast Sample Wire (fictional): new headline"
    )
    recall = WireItem.objects.get(guid__endswith="recall-space-heaters")
    assert recall.status == WireItem.Status.WITHDRAWN and not recall.story.live


@pytest.fixture
def urls_without_the_demo(settings):
    """The URL map as production builds it (NEWSCAST_WIRE_SAMPLES off)."""
    import config.urls

    settings.NEWSCAST_WIRE_SAMPLES = False
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.NEWSCAST_WIRE_SAMPLES = True
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_sample_feeds_are_not_served_outside_the_demo(client, urls_without_the_demo):
    assert client.get("/wire/samples/newscast-sample-wire.xml").status_code == 404
    # (Django adds the slash first; the page tree has no such page either.)
    assert client.get("/wire/samples/stories/any-sample", follow=True).status_code == 404
