"""The per-feed setting "List agency copies in sitemaps": off by default, on when a feed asks."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client

from newscast.news.models import StoryPage
from newscast.news.services import story_revise
from newscast.wire.models import WireFeed
from newscast.wire.services.feeds import feed_poll

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SPILLWAY = "river-authority-opens-spillway-gates"
SITEMAPS = ("/sitemap.xml", "/news-sitemap.xml")


def listed(path: str) -> list[str]:
    root = ET.fromstring(Client().get(path).content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def spillway_listed_in(path: str) -> bool:
    return any(SPILLWAY in location for location in listed(path))


@pytest.fixture
def fresh_wire(monkeypatch):
    """The recorded items are from 2020; the Google News sitemap lists the last 48 hours."""
    monkeypatch.setattr("newscast.news.selectors.NEWS_SITEMAP_WINDOW", timedelta(days=36500))


def test_agency_copies_stay_out_of_sitemaps_by_default(serve, make_feed, fresh_wire):
    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    feed_poll(feed)

    assert WireFeed._meta.get_field("list_in_sitemaps").default is False
    for path in SITEMAPS:
        assert not spillway_listed_in(path), path


def test_a_feed_that_asks_has_its_copies_listed(serve, make_feed, fresh_wire):
    feed = make_feed(serve("rss2_network_content_encoded.xml"), list_in_sitemaps=True)
    feed_poll(feed)

    for path in SITEMAPS:
        assert spillway_listed_in(path), path


def test_changing_the_setting_applies_to_the_stories_already_made(serve, make_feed, fresh_wire):
    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    feed_poll(feed)
    feed = WireFeed.objects.get(pk=feed.pk)  # as the admin's edit form loads it

    feed.list_in_sitemaps = True
    feed.save()
    assert all(spillway_listed_in(path) for path in SITEMAPS)

    feed.list_in_sitemaps = False
    feed.save()
    assert not any(spillway_listed_in(path) for path in SITEMAPS)


def test_an_editors_revision_does_not_undo_the_feeds_setting(serve, make_feed, fresh_wire):
    feed = make_feed(serve("rss2_network_content_encoded.xml"), list_in_sitemaps=True)
    feed_poll(feed)
    story = StoryPage.objects.get(slug__startswith=SPILLWAY)

    story_revise(story, fields={"summary": "An editor's new summary."})

    assert StoryPage.objects.get(pk=story.pk).agency_copy_in_sitemaps
    assert spillway_listed_in("/sitemap.xml")


def test_the_feed_editor_offers_the_setting(admin_client, make_feed):
    feed = make_feed("https://wire.example.net/feed.xml")

    page = admin_client.get(f"/admin/wire/feeds/edit/{feed.pk}/").content.decode()

    assert "List agency copies in sitemaps" in page
    assert 'name="list_in_sitemaps"' in page
