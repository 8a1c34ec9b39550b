"""Cached page fragments: fast warm pages that never show stale news after an editor's change."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from newscast.core.models.content import content_version
from newscast.news.models import LAST_PAGE, StoryPage, page_number_for
from newscast.news.services import story_revise, story_unpublish
from newscast.news.tests.conftest import section_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def queries_for(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


def test_a_warm_page_comes_from_the_fragment_cache(client, make_story):
    story = make_story("Lee County opens new library branch")
    for url in ("/", "/local/", story.url):
        client.get(url)  # warm the per-process caches (site root paths, time zone)
        story_revise(story, fields={"summary": "Opening hours added."})  # a publish
        cold, cold_html = queries_for(client, url)
        warm, warm_html = queries_for(client, url)
        assert warm < cold, url
        assert warm_html == cold_html


def test_a_published_story_shows_at_once_on_home_and_its_section(client, make_story, sports):
    make_story("Tupelo council approves new splash pad")
    for url in ("/", "/local/", "/sports/"):
        client.get(url)

    make_story("Golden Wave wins the regional final", into=sports)

    assert "Golden Wave wins the regional final" in client.get("/").content.decode()
    assert "Golden Wave wins the regional final" in client.get("/sports/").content.decode()
    assert "Golden Wave wins" not in client.get("/local/").content.decode()


def test_an_unpublished_story_leaves_every_page_at_once(client, make_story):
    story = make_story("Water main break closes Main Street")
    make_story("Another story")
    url = story.url
    for address in ("/", "/local/", url):
        assert "Water main break" in client.get(address).content.decode()

    story_unpublish(story, reason="Duplicate.")

    assert "Water main break" not in client.get("/").content.decode()
    assert "Water main break" not in client.get("/local/").content.decode()
    assert client.get(url).status_code == 404


def test_an_edited_story_shows_its_new_text_at_once(client, make_story):
    story = make_story("Storm damage in Lee County", byline="By Ana Ruiz")
    assert "By Ana Ruiz" in client.get(story.url).content.decode()

    story_revise(story, fields={"byline": "By Ana Ruiz and Tom Lee"})

    html = client.get(story.url).content.decode()
    assert "By Ana Ruiz and Tom Lee" in html


def test_moved_and_deleted_stories_leave_the_lists_at_once(client, make_story, sports):
    moved = make_story("Bulldogs sign new coach")
    deleted = make_story("Story filed twice")
    for url in ("/local/", "/sports/", moved.url, deleted.url):
        assert client.get(url).status_code == 200

    StoryPage.objects.get(pk=moved.pk).move(sports, pos="last-child")
    StoryPage.objects.get(pk=deleted.pk).delete()

    old_address = client.get(moved.url)  # not served from the cache: Wagtail's redirect
    assert (old_address.status_code, old_address["Location"]) == (301, f"/sports/{moved.slug}/")
    assert client.get(f"/sports/{moved.slug}/").status_code == 200
    assert client.get(deleted.url).status_code == 404

    local = client.get("/local/").content.decode()
    assert "Bulldogs sign new coach" not in local
    assert "Story filed twice" not in local
    assert "Bulldogs sign new coach" in client.get("/sports/").content.decode()


def test_station_settings_change_the_cached_home_page(client, station, make_story):
    make_story()
    client.get("/")
    station.station_name = "WNCX News Now"
    station.save()

    assert "WNCX News Now: top stories" in client.get("/").content.decode()


def test_the_content_version_moves_with_publishing_not_with_drafts(make_story):
    story = make_story()
    published = content_version()

    story_revise(story, fields={"summary": "A draft only."}, publish=False)
    assert content_version() == published

    story_revise(story, fields={"summary": "Now live."})
    assert content_version() > published


def test_a_preview_never_reads_nor_fills_the_fragment_cache(make_story):
    story = make_story("Live headline")
    story_revise(story, fields={"title": "Draft headline"}, publish=False)
    draft = StoryPage.objects.get(pk=story.pk).get_latest_revision_as_object()
    first_preview = draft.make_preview_request()
    # The same host as the preview's own request, so both would share fragment keys.
    reader = Client(HTTP_HOST=draft._get_dummy_headers()["HTTP_HOST"])

    public = reader.get(story.url).content.decode()  # would show a leaked draft
    second_preview = draft.make_preview_request().content.decode()  # would show the live copy

    assert "Draft headline" in first_preview.content.decode()
    assert "Live headline" in public and "Draft headline" not in public
    assert "Draft headline" in second_preview


def test_section_pages_are_cached_one_copy_per_list_page(client, make_story):
    for n in range(21):
        make_story(f"Local story {n}")

    first = client.get("/local/").content.decode()
    second = client.get("/local/?page=2").content.decode()
    junk = client.get("/local/?page=%202").content.decode()  # Paginator would read page 2

    assert "Local story 20" in first and "Local story 0" not in first
    assert "Local story 0" in second and "Local story 20" not in second
    assert junk == first  # read as page 1, never cached under page 1 with page 2's stories


@pytest.mark.parametrize(
    ("value", "number"),
    [(None, 1), ("", 1), ("2", 2), ("02", 2), (" 2", 1), ("2.0", 1), ("abc", 1), ("²", 1),
     ("0", LAST_PAGE), ("-1", 1), ("5000", 5000), ("5001", LAST_PAGE), ("9" * 12, 1)],
)  # fmt: skip
def test_page_number_for_gives_one_number_per_list_page(value, number):
    assert page_number_for(value) == number


def test_stories_route_in_one_query_and_only_at_their_own_address(client, make_story, sports):
    story = make_story("Tupelo council approves new splash pad")
    client.get(story.url)

    assert client.get(story.url).status_code == 200
    assert client.get(f"/sports/{story.slug}/").status_code == 404
    assert client.get("/local/no-such-story/").status_code == 404
    assert client.get(f"/local/{story.slug}/extra/").status_code == 404
    assert client.get("/sports/").status_code == 200


def test_a_draft_section_is_not_served(client, home):
    section = section_add(home, "Opinion", "opinion")
    section.unpublish()

    assert client.get("/opinion/").status_code == 404


def test_a_new_view_restriction_applies_at_once(client, make_story, section):
    from wagtail.models import PageViewRestriction

    story = make_story("Members-only story")
    assert client.get(story.url).status_code == 200  # restrictions now cached

    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(story.url).status_code == 302  # to the login page
    assert client.get("/local/").status_code == 302


def test_station_settings_are_read_from_the_cache_until_saved(client, station, make_story):
    make_story()
    client.get("/")
    warm_before, _ = queries_for(client, "/")
    station.call_sign = "WNCX"
    station.save()
    client.get("/")

    warm_after, html = queries_for(client, "/")

    assert '<span class="site-header__call">WNCX</span>' in html
    assert warm_after == warm_before
