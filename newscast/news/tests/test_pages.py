"""Public pages: home, section, story, tags, search, corrections, and their query counts."""

import pytest
from django.test import Client
from django.utils import timezone

from newscast.core.timefmt import station_zone
from newscast.home.models import HomeTopStory
from newscast.news.models import StoryCorrection
from newscast.news.services import story_revise, story_unpublish

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def test_home_shows_lead_top_and_latest_without_repeats(client, home, make_story):
    first, second, third = (make_story(f"Story number {n}") for n in (1, 2, 3))
    home.lead_story = second
    home.top_stories = [HomeTopStory(story=third)]
    home.save_revision().publish()

    response = client.get("/")

    assert response.status_code == 200
    assert response.context["lead_story"] == second
    assert response.context["top_stories"] == [third]
    assert response.context["latest_stories"] == [first]
    assert response.content.decode().count("Story number 2") == 1


def test_home_without_a_chosen_lead_leads_with_the_newest(client, home, make_story):
    make_story("Older story")
    newest = make_story("Newest story")

    response = client.get("/")

    assert response.context["lead_story"] == newest


def test_home_query_count_does_not_grow_with_stories(
    client, home, make_story, django_assert_max_num_queries
):
    for n in range(3):
        make_story(f"Early story {n}")
    client.get("/")  # warm the per-process caches (site root paths, time zone)
    make_story("Early story 3")  # a publish: the next request renders the lists afresh
    with django_assert_max_num_queries(20) as few:
        client.get("/")
    for n in range(15):
        make_story(f"Later story {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")


def test_section_lists_its_stories_newest_first_and_paginates(client, section, sports, make_story):
    local = [make_story(f"Local story {n}") for n in range(21)]
    make_story("A sports story", into=sports)

    first = client.get("/local/")
    second = client.get("/local/?page=2")

    assert [s.title for s in first.context["stories"]][:2] == ["Local story 20", "Local story 19"]
    assert len(first.context["stories"]) == 20
    assert [s.title for s in second.context["stories"]] == [local[0].title]
    assert b"A sports story" not in first.content
    assert b'rel="next"' in first.content


def test_story_page_shows_times_like_the_seed_and_the_update_note(client, make_story):
    story = make_story(byline="By Dana Whitfield", tags=["tupelo"])
    story = story_revise(story, fields={"summary": "More."}, update_note="Adds the vote count.")

    html = client.get(story.url).content.decode()

    posted = timezone.localtime(story.posted_at, station_zone())  # pages: station time
    assert f'Posted: <time datetime="{posted.isoformat()}">' in html
    assert f"{posted:%b} {posted.day}, {posted.year}" in html
    assert "Updated: <time" in html
    assert "Adds the vote count." in html
    assert "By Dana Whitfield" in html
    assert 'href="/tags/tupelo/"' in html


def test_unpublished_story_is_gone(client, make_story):
    story = make_story()
    url = story.url
    story_unpublish(story, reason="Duplicate.")

    assert client.get(url).status_code == 404


def test_tag_page_lists_tagged_stories(client, make_story):
    make_story("Tagged", tags=["lee county"])
    make_story("Untagged")

    response = client.get("/tags/lee-county/")

    assert [s.title for s in response.context["stories"]] == ["Tagged"]
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_search_finds_live_stories_only(client, make_story):
    make_story("Splash pad hours extended", summary="Council vote on the splash pad.")
    make_story("Splash pad draft", publish=False)
    make_story("Road work overnight")

    response = client.get("/search/", {"q": "splash"})

    assert [s.title for s in response.context["results"]] == ["Splash pad hours extended"]
    assert client.get("/search/", {"q": "zebra"}).context["results"].paginator.count == 0
    assert client.get("/search/").context["results"] is None


def test_corrections_show_on_the_story_and_on_the_corrections_page(client, make_story):
    story = make_story("Trees planted")
    StoryCorrection.objects.create(story=story, kind="correction", note="It was 300 trees.")
    StoryCorrection.objects.create(story=story, kind="clarification", note="On city land.")
    hidden = make_story("Later pulled")
    StoryCorrection.objects.create(story=hidden, note="Hidden note.")
    story_unpublish(hidden, reason="Pulled.")

    story_html = client.get(story.url).content.decode()
    page_html = client.get("/corrections/").content.decode()

    assert "It was 300 trees." in story_html and "Clarification" in story_html
    assert "It was 300 trees." in page_html and "On city land." in page_html
    assert "Hidden note." not in page_html


def test_unknown_page_gets_the_friendly_404(client, home):
    response = client.get("/no-such-story/")

    assert response.status_code == 404
    assert b"couldn't find that page" in response.content


def test_navigation_lists_live_sections(client, section, sports):
    html = client.get("/local/").content.decode()

    assert '<a href="/local/" aria-current="page">Local</a>' in html
    assert '<a href="/sports/">Sports</a>' in html


def test_navigation_follows_sections_published_later(client, section):
    assert b"/community/" not in client.get("/local/").content  # caches the links

    from newscast.news.tests.conftest import section_add

    section_add(section.get_parent().specific, "Community", "community")

    assert b'<a href="/community/">Community</a>' in client.get("/local/").content
