"""Authors: their pages, the stories listed there, bylines that link to them, and their markup."""

import json
import re

import pytest
from django.test import Client

from newscast.news.authors import Author, AuthorLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def dana(station):
    author = Author(
        name="Dana Whitfield",
        role="City hall reporter",
        bio="Dana covers city hall.\n\nSend tips any time.",
        email="dana@example.com",
    )
    author.links = [AuthorLink(label="Instagram", url="https://instagram.example.com/dana")]
    author.save()
    return author


@pytest.fixture
def marcus(station):
    return Author.objects.create(name="Marcus Bell", role="Education reporter")


def _jsonld(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(part) for part in found]


def _of_type(html: str, kind: str) -> dict:
    return next(data for data in _jsonld(html) if data["@type"] == kind)


def test_an_author_gets_a_slug_from_the_name_once_per_name(station):
    first = Author.objects.create(name="Lena Ortiz")
    second = Author.objects.create(name="Lena Ortiz")

    assert first.slug == "lena-ortiz"
    assert second.slug == "lena-ortiz-2"
    assert first.get_absolute_url() == "/authors/lena-ortiz/"


def test_author_page_shows_the_person_and_their_stories_newest_first(
    client, dana, marcus, make_story
):
    make_story("Council keeps splash pads open", authors=[dana])
    make_story("Late bus route added", authors=[marcus])
    make_story("Budget hearing set", authors=[marcus, dana])
    make_story("A draft by Dana", authors=[dana], publish=False)

    response = client.get("/authors/dana-whitfield/")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<h1 class="author__name">Dana Whitfield</h1>' in html
    assert "City hall reporter" in html
    assert '<p class="author__bio">Send tips any time.</p>' in html
    assert 'href="mailto:dana@example.com"' in html
    assert 'href="https://instagram.example.com/dana"' in html
    assert 'href="/authors/">Our team</a>' in html
    headlines = re.findall(r'class="story-card__headline"><a href="[^"]+">([^<]+)</a>', html)
    assert headlines == ["Budget hearing set", "Council keeps splash pads open"]


def test_author_page_is_paginated(client, dana, make_story, monkeypatch):
    monkeypatch.setattr("newscast.news.views.STORIES_PER_PAGE", 2)
    for number in range(5):
        make_story(f"Story number {number}", authors=[dana])

    first = client.get("/authors/dana-whitfield/").content.decode()
    last = client.get("/authors/dana-whitfield/?page=3").content.decode()

    assert "Page 1 of 3" in first
    assert "Story number 4" in first and "Story number 2" not in first
    assert "Page 3 of 3" in last
    assert "Story number 0" in last and "Story number 1" not in last


def test_an_unknown_author_is_not_found(client, station):
    assert client.get("/authors/nobody-here/").status_code == 404


def test_the_byline_links_each_author_and_keeps_a_guest_byline(client, dana, marcus, make_story):
    story = make_story("Budget hearing set", authors=[dana, marcus], byline="By Sam Guest")

    html = client.get(story.url).content.decode()
    byline = re.search(r'<p class="story__byline">(.*?)</p>', html, re.S).group(1)

    assert byline == (
        'By <a href="/authors/dana-whitfield/" rel="author">Dana Whitfield</a>, '
        '<a href="/authors/marcus-bell/" rel="author">Marcus Bell</a> and Sam Guest'
    )


def test_a_byline_repeating_the_author_is_shown_once(client, dana, make_story):
    story = make_story("Council keeps splash pads open", authors=[dana], byline="By Dana Whitfield")

    byline = re.search(
        r'<p class="story__byline">(.*?)</p>', client.get(story.url).content.decode(), re.S
    ).group(1)

    assert byline == 'By <a href="/authors/dana-whitfield/" rel="author">Dana Whitfield</a>'


def test_news_article_names_authors_as_people_with_their_page(client, dana, make_story):
    story = make_story("Council keeps splash pads open", authors=[dana])

    article = _of_type(client.get(story.url).content.decode(), "NewsArticle")

    assert article["author"] == [
        {
            "@type": "Person",
            "name": "Dana Whitfield",
            "url": "http://testserver/authors/dana-whitfield/",
            "jobTitle": "City hall reporter",
        }
    ]


def test_a_wire_story_credits_its_writer_and_the_agency(client, make_story):
    story = make_story(
        "Storm closes interstate",
        byline="By Avery Lindqvist",
        source_credit="Newscast Sample Wire",
        canonical_url="https://wire.example.com/storm",
    )

    article = _of_type(client.get(story.url).content.decode(), "NewsArticle")

    assert article["author"] == [
        {"@type": "Person", "name": "Avery Lindqvist"},
        {"@type": "Organization", "name": "Newscast Sample Wire"},
    ]


def test_author_page_carries_person_markup(client, dana):
    person = _of_type(client.get("/authors/dana-whitfield/").content.decode(), "Person")

    assert person["name"] == "Dana Whitfield"
    assert person["url"] == "http://testserver/authors/dana-whitfield/"
    assert person["jobTitle"] == "City hall reporter"
    assert person["sameAs"] == ["https://instagram.example.com/dana"]
    assert person["worksFor"]["@type"] == "Organization"


def test_renaming_an_author_shows_on_the_cached_story_page(client, dana, make_story):
    story = make_story("Council keeps splash pads open", authors=[dana])
    assert "Dana Whitfield</a>" in client.get(story.url).content.decode()

    dana.name = "Dana Whitfield-Moore"
    dana.save()

    assert "Dana Whitfield-Moore</a>" in client.get(story.url).content.decode()


def test_hostile_author_text_is_escaped(client, station):
    Author.objects.create(name='<script>alert("x")</script>', slug="hostile", bio="<b>bold</b>")

    html = client.get("/authors/hostile/").content.decode()

    assert "<script>alert" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_authors_index_lists_everyone_by_name(client, dana, marcus):
    html = client.get("/authors/").content.decode()

    assert html.index("Dana Whitfield") < html.index("Marcus Bell")
    assert 'href="/authors/marcus-bell/"' in html


def test_the_admin_has_an_authors_menu(admin_client, dana):
    home = admin_client.get("/admin/").content.decode()
    listing = admin_client.get("/admin/snippets/news/author/")

    assert "Authors" in home
    assert listing.status_code == 200
    assert "Dana Whitfield" in listing.content.decode()


def test_the_story_editor_offers_authors(admin_client, dana, make_story):
    story = make_story("Council keeps splash pads open", authors=[dana])

    editor = admin_client.get(f"/admin/pages/{story.pk}/edit/")

    assert editor.status_code == 200
    assert "Authors" in editor.content.decode()
    assert "Dana Whitfield" in editor.content.decode()


def test_the_demo_credits_sample_authors_labelled_as_sample(station, settings, tmp_path, client):
    import io

    from newscast.home import demo_newsroom as demo
    from newscast.news.models import StoryPage

    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo.load(io.StringIO())

    authors = list(Author.objects.all())
    assert len(authors) == len(demo.SAMPLE_AUTHORS)
    assert all("(sample)" in author.role and author.photo_id for author in authors)
    first = StoryPage.objects.get(title=demo.STORIES[0][3])
    assert [credit.author.name for credit in first.story_authors.all()] == ["Dana Whitfield"]
    assert first.byline == ""
    page = client.get("/authors/dana-whitfield/").content.decode()
    assert demo.SAMPLE_AUTHOR_NOTE in page
    assert demo.STORIES[0][3] in page
    assert 'rel="author">Dana Whitfield</a>' in client.get(first.url).content.decode()


def test_an_editor_credits_an_author_from_the_admin(admin_client, dana, make_story):
    from wagtail.test.utils.form_data import inline_formset

    from newscast.news.models import StoryPage
    from newscast.news.tests.test_editor import publish_from_admin

    story = make_story("Council keeps splash pads open")

    response = publish_from_admin(
        admin_client, story, story_authors=inline_formset([{"author": dana.pk}])
    )

    assert response.status_code == 302
    assert [c.author_id for c in StoryPage.objects.get(pk=story.pk).story_authors.all()] == [
        dana.pk
    ]


def test_author_pages_are_in_the_sitemap_and_the_footer_leads_to_them(client, dana, make_story):
    make_story("Council keeps splash pads open", authors=[dana])
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/authors/dana-whitfield/</loc>" in sitemap
    assert "/council-keeps-splash-pads-open/</loc>" in sitemap  # the pages are still there
    assert '<a href="/authors/">Our journalists</a>' in client.get("/").content.decode()
