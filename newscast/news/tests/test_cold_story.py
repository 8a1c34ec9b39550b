"""A story nobody read yet at this content version (a crawler's request): few queries, the
same page, and routing that still honours drafts, privacy, redirects and other sites."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction, Site

from newscast.core.versioned_cache import local_clear
from newscast.news.authors import Author, StoryAuthor
from newscast.news.models import StoryCorrection, StoryPage
from newscast.news.services import story_revise, story_unpublish

pytestmark = pytest.mark.django_db

# The versions (one plain query) and the story at its address (one query with its EXISTS).
COLD_STORY_QUERIES = 2


@pytest.fixture
def client():
    return Client()


def first_read(client, story) -> tuple[int, str]:
    """(SQL queries, HTML) of the story's first request at this content version."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(story.url)
    assert response.status_code == 200, story.url
    return len(queries), response.content.decode()


def test_a_story_seen_first_costs_two_queries_however_many_stories(client, make_story):
    stories = [make_story(f"County road work update {n}") for n in range(3)]
    client.get(stories[0].url)  # the parts every page shares, once after the publish

    queries, html = first_read(client, stories[1])
    for n in range(3, 13):
        make_story(f"County road work update {n}")
    client.get(stories[0].url)
    more_queries, _ = first_read(client, stories[2])

    assert queries == more_queries == COLD_STORY_QUERIES
    assert "County road work update 1</h1>" in html


def test_a_story_seen_first_shows_its_authors_tags_and_corrections(client, make_story):
    author = Author.objects.create(name="Dana Whitfield", slug="dana-whitfield", role="Reporter")
    story = make_story("Council votes on splash pad hours", tags=["tupelo", "parks"])
    StoryAuthor.objects.create(story=story, author=author)
    StoryCorrection.objects.create(story=story, note="An earlier version gave the wrong vote.")
    story_revise(story, fields={"summary": "The vote was 6-1."})  # moves the version
    plain = make_story("Another story")
    client.get(plain.url)

    queries, html = first_read(client, StoryPage.objects.get(pk=story.pk))

    assert 'href="/authors/dana-whitfield/"' in html
    assert 'href="/tags/tupelo/"' in html and 'href="/tags/parks/"' in html
    assert "An earlier version gave the wrong vote." in html
    assert queries == COLD_STORY_QUERIES + 3  # one for each relation the story has


def test_a_story_seen_first_is_the_page_a_warm_request_shows(client, make_story):
    story = make_story("Lee County opens new library branch", tags=["libraries"])
    make_story("Another story")
    _, cold_html = first_read(client, story)

    cache.clear()  # the shared copies gone: rendered again, through Django's own queries
    with CaptureQueriesContext(connection):
        again = client.get(story.url).content.decode()

    assert again == cold_html


def fragment_reads(monkeypatch) -> list[str]:
    """The story fragments' keys asked of the shared cache from now on (a list it fills)."""
    asked, read = [], cache.get

    def get(key, *args, **kwargs):
        if ":fragment:story" in key:
            asked.append(key)
        return read(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", get)
    return asked


def test_a_story_seen_first_does_not_ask_the_cache_for_its_fragments(
    client, make_story, monkeypatch
):
    story = make_story("Lee County opens new library branch")
    other = make_story("Another story")
    client.get(other.url)  # the parts every page shares
    asked = fragment_reads(monkeypatch)

    _, first = first_read(client, story)
    assert asked == []

    local_clear()  # another web process: it finds the route and the fragments kept
    again = client.get(story.url).content.decode()
    assert again == first
    assert len(asked) == 2  # the share tags and the story, both read, not rendered again


def test_a_pictured_story_asks_for_its_lead_rendition_once(
    client, make_story, sample_image, monkeypatch
):
    story = make_story("Lee County opens new library branch", lead_image=sample_image)
    client.get(make_story("Another story").url)
    asked, read = [], cache.get_many

    def get_many(keys, *args, **kwargs):
        asked.extend(key for key in keys if "rendition" in key)
        return read(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    _, html = first_read(client, story)

    assert len(asked) == 1  # the picture atop the story, its share tags and its JSON-LD
    assert html.count(".fill-1200x675.") == 4  # <img>, og:image, twitter:image, JSON-LD


def test_the_lead_image_is_the_tag_wagtails_image_tag_writes(make_story, sample_image):
    story = make_story("Lee County opens new library branch", lead_image=sample_image)
    wagtails = "{% load wagtailimages_tags %}{% image page.lead_image fill-1200x675 alt=page.lead_image.default_alt_text %}"  # noqa: E501
    ours = "{% load news_tags %}{% story_lead_image page %}"

    expected = Template(wagtails).render(Context({"page": story}))

    assert expected.startswith("<img ")
    assert Template(ours).render(Context({"page": story})) == expected


def test_at_address_finds_the_story_and_what_it_shows(make_story, section):
    story = make_story("Tupelo council approves new splash pad", tags=["tupelo"])

    found = StoryPage.at_address(story.url_path, story.depth)

    assert found.pk == story.pk
    assert list(found.body.raw_data) == list(story.body.raw_data)
    assert found.may_have("tags") and not found.may_have("authors")
    assert not found.may_have("corrections")
    assert StoryPage.at_address(story.url_path, story.depth + 1) is None
    assert StoryPage.at_address(section.url_path + "no-such-story/", story.depth) is None


def test_a_story_from_elsewhere_than_routing_asks_for_everything(make_story):
    story = make_story("Tupelo council approves new splash pad")

    assert StoryPage.objects.get(pk=story.pk).may_have("corrections")


def test_an_unpublished_story_is_not_served_even_when_seen_before(client, make_story):
    story = make_story("Water main break closes Main Street")
    client.get(story.url)

    story_unpublish(story, reason="Duplicate.")

    assert client.get(story.url).status_code == 404


def test_a_draft_story_is_not_served(client, make_story, section):
    story = StoryPage(title="Not yet", slug="not-yet", summary="Draft.")
    section.add_child(instance=story)
    story.save_revision()
    StoryPage.objects.filter(pk=story.pk).update(live=False)
    make_story("Published story")

    assert client.get("/local/not-yet/").status_code == 404


def test_a_private_story_asks_for_login_on_its_first_request(client, make_story):
    story = make_story("Members-only story")
    other = make_story("Public story")
    client.get(other.url)  # "no restrictions anywhere" kept at this version

    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(story.url).status_code == 302
    assert client.get(other.url).status_code == 200


def test_a_redirect_from_an_old_address_still_reaches_the_story(client, make_story):
    story = make_story("Tupelo council approves new splash pad")
    Redirect.objects.create(old_path="/local/old-splash-pad", redirect_page=story)

    response = client.get("/local/old-splash-pad/")

    assert response.status_code in (301, 302) and response["Location"].endswith(story.url)


def test_another_site_does_not_serve_this_sites_stories(client, make_story, sports, settings):
    settings.ALLOWED_HOSTS = ["testserver", "sports.example"]
    story = make_story("Tupelo council approves new splash pad")
    Site.objects.create(hostname="sports.example", port=80, root_page=sports)

    assert client.get(story.url).status_code == 200
    assert client.get(story.url, HTTP_HOST="sports.example").status_code == 404
    assert client.get("/", HTTP_HOST="sports.example").status_code == 200
