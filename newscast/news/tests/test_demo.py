"""The demo's sample newsroom loads once, fills every page, and leaves editors' work alone."""

import io

import pytest
from django.test import Client
from wagtail.models import Site

from newscast.home import demo_newsroom as demo
from newscast.home.models import HomePage
from newscast.news.models import SectionPage, StoryPage

pytestmark = pytest.mark.django_db


def test_demo_builds_the_newsroom_once(station, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    out = io.StringIO()

    demo.load(out)
    demo.load(out)  # a second run finds stories and leaves them alone

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert SectionPage.objects.live().count() == len(demo.SECTIONS)
    assert StoryPage.objects.live().count() == len(demo.STORIES) + 2  # the wire and video ones
    video_story = StoryPage.objects.get(title=demo.VIDEO_STORY["title"])
    assert video_story.lead_video.aired_on_tv and video_story.lead_video.captions
    wire = StoryPage.objects.get(source_credit="Sample Wire Service")
    assert wire.canonical_url and wire.body.raw_data[0]["type"] == "html"
    assert out.getvalue().count("sample stories") == 1

    client = Client()
    home = client.get("/")
    assert home.status_code == 200
    assert home.context["lead_story"].title == demo.STORIES[0][3]
    assert len(home.context["top_stories"]) == 3
    assert client.get(wire.url).status_code == 200
    assert video_story.title in client.get("/video/").content.decode()
    assert (
        b"Adds robotics" in client.get(StoryPage.objects.get(title=demo.STORIES[1][3]).url).content
    )


def test_demo_links_use_the_address_it_serves_on(station, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"  # as `newscast demo --port 8123`
    demo.load(io.StringIO())

    client = Client()
    story = StoryPage.objects.live().exclude(source_credit="Sample Wire Service").first()
    page = client.get(story.url).content.decode()
    assert f'rel="canonical" href="http://127.0.0.1:8123{story.url}"' in page
    assert ":8000" not in page
    assert "http://127.0.0.1:8123/" in client.get("/feeds/rss/").content.decode()
    assert "http://127.0.0.1:8123/" in client.get("/sitemap.xml").content.decode()

    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8124"  # the next run, another port
    demo.load(io.StringIO())
    assert Site.objects.get(is_default_site=True).port == 8124

    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8125"
    Site.objects.filter(is_default_site=True).update(hostname="news.example.org", port=443)
    demo.load(io.StringIO())  # an address set in Settings -> Sites stays
    assert Site.objects.get(is_default_site=True).hostname == "news.example.org"
