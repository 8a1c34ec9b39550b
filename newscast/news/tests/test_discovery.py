"""Feeds, sitemaps, robots.txt, JSON-LD, Open Graph and canonical links."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from newscast.core.timefmt import station_zone

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def client():
    return Client()


def test_rss_feed_lists_stories_newest_first(client, make_story):
    make_story("First story", tags=["tupelo"], byline="By Dana Whitfield")
    make_story("Second story")
    make_story("A draft", publish=False)

    response = client.get("/feeds/rss/")
    channel = ET.fromstring(response.content).find("channel")

    assert response["Content-Type"].startswith("application/rss+xml")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Second story", "First story"]
    first = channel.findall("item")[1]
    assert first.findtext("link").endswith("/local/first-story/")
    assert first.findtext("category") == "tupelo"
    assert first.findtext("pubDate")


def test_atom_feed_and_section_feeds(client, section, sports, make_story):
    make_story("Local story")
    make_story("Sports story", into=sports)

    atom = ET.fromstring(client.get("/feeds/atom/").content)
    local_rss = ET.fromstring(client.get("/feeds/local/rss/").content)
    sports_atom = ET.fromstring(client.get("/feeds/sports/atom/").content)

    assert len(atom.findall(f"{ATOM}entry")) == 2
    assert [i.findtext("title") for i in local_rss.iter("item")] == ["Local story"]
    assert [e.findtext(f"{ATOM}title") for e in sports_atom.iter(f"{ATOM}entry")] == [
        "Sports story"
    ]
    assert client.get("/feeds/no-such-section/rss/").status_code == 404


def test_sitemap_lists_live_pages(client, make_story):
    story = make_story("In the sitemap")
    make_story("Draft", publish=False)

    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]

    assert any(loc.endswith(story.url) for loc in locations)
    assert any(loc.endswith("/local/") for loc in locations)
    assert not any("draft" in loc for loc in locations)


def test_news_sitemap_holds_only_the_last_48_hours(client, station, make_story):
    fresh = make_story("Fresh story", posted_at=timezone.now() - timedelta(hours=47))
    make_story("Old story", posted_at=timezone.now() - timedelta(hours=49))

    root = ET.fromstring(client.get("/news-sitemap.xml").content)
    urls = root.findall(f"{SITEMAP}url")

    assert len(urls) == 1
    assert urls[0].findtext(f"{SITEMAP}loc").endswith(fresh.url)
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}title") == "Fresh story"
    assert news.find(f"{NEWS}publication").findtext(f"{NEWS}name") == station.station_name
    assert news.findtext(f"{NEWS}publication_date").startswith(
        timezone.localtime(fresh.posted_at, station_zone()).strftime("%Y-%m-%dT")
    )


def test_robots_txt_points_at_both_sitemaps(client):
    body = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Sitemap: http://testserver/news-sitemap.xml" in body


def _jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_story_has_news_article_jsonld_and_sharing_tags(client, station, make_story):
    story = make_story("Council </script> vote", byline="By Dana Whitfield", tags=["tupelo"])

    html = client.get(story.url).content.decode()
    data = _jsonld(html)

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Council </script> vote"
    assert data["author"] == [{"@type": "Person", "name": "Dana Whitfield"}]
    assert data["publisher"]["name"] == station.station_name
    assert data["keywords"] == ["tupelo"]
    assert data["datePublished"].startswith(story.posted_at.strftime("%Y-%m-%dT%H:%M"))
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert f'<link rel="canonical" href="{story.full_url}">' in html


def test_syndicated_story_is_canonical_to_the_original(client, make_story):
    story = make_story(
        "Wire story", source_credit="CNN", canonical_url="https://edition.example.com/story"
    )

    html = client.get(story.url).content.decode()

    assert '<link rel="canonical" href="https://edition.example.com/story">' in html
    assert _jsonld(html)["mainEntityOfPage"] == "https://edition.example.com/story"
    assert _jsonld(html)["author"] == [{"@type": "Organization", "name": "CNN"}]
    assert "CNN" in html


def test_story_with_lead_image_shares_it(client, make_story, sample_image):
    story = make_story("With a picture", lead_image=sample_image, lead_caption="A caption.")

    html = client.get(story.url).content.decode()

    assert '<meta name="twitter:card" content="summary_large_image">' in html
    og_image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert og_image.startswith("http://testserver/") and ".fill-1200x675" in og_image
    assert _jsonld(html)["image"] == [og_image]
    assert "A caption." in html


def test_favicon_is_linked_and_answers_at_the_root(client, home):
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon_path = response["Location"].removeprefix(settings.STATIC_URL)
    with open(finders.find(icon_path.split("?")[0]), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's signature


def test_agency_copies_are_left_out_of_the_sitemaps(client, station, make_story):
    ours = make_story("Our own story")
    make_story("Agency copy", source_credit="CNN", canonical_url="https://edition.example.com/s")

    for path in ("/sitemap.xml", "/news-sitemap.xml"):
        root = ET.fromstring(client.get(path).content)
        locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
        assert any(loc.endswith(ours.url) for loc in locations), path
        assert not any("agency-copy" in loc for loc in locations), path


def test_feeds_carry_the_lead_image(client, make_story, sample_image):
    make_story("With a picture", lead_image=sample_image)
    make_story("Without one")

    rss = ET.fromstring(client.get("/feeds/rss/").content).find("channel")
    atom = ET.fromstring(client.get("/feeds/atom/").content)

    with_picture, without = rss.findall("item")[1], rss.findall("item")[0]
    enclosure = with_picture.find("enclosure")
    assert enclosure.get("url").startswith("http://testserver/media/images/")
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) > 1000
    assert without.find("enclosure") is None
    links = [link.get("rel") for link in atom.iter(f"{ATOM}link")]
    assert links.count("enclosure") == 1


def _jsonld_all(html: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return {data["@type"]: data for data in map(json.loads, found)}


def test_home_section_and_story_carry_organization_website_and_breadcrumbs(
    client, station, home, make_story, sample_image
):
    station.logo = sample_image
    station.save()
    story = make_story("Council vote")

    home_data = _jsonld_all(client.get("/").content.decode())
    section_data = _jsonld_all(client.get("/local/").content.decode())
    story_data = _jsonld_all(client.get(story.url).content.decode())

    organization = home_data["Organization"]
    assert organization["name"] == station.station_name
    assert organization["logo"].startswith("http://testserver/media/images/")
    search = home_data["WebSite"]["potentialAction"]
    assert search["target"]["urlTemplate"] == "http://testserver/search/?q={search_term}"
    assert search["query-input"] == "required name=search_term"
    assert "BreadcrumbList" not in home_data
    assert [c["name"] for c in section_data["BreadcrumbList"]["itemListElement"]] == [
        "Home",
        "Local",
    ]
    crumbs = story_data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"]) for c in crumbs] == [
        (1, "Home"),
        (2, "Local"),
        (3, "Council vote"),
    ]
    assert crumbs[2]["item"] == story.full_url
    assert story_data["NewsArticle"]["publisher"]["logo"]["url"] == organization["logo"]
