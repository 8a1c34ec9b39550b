"""The home page: routing sections and stories by their address (cached under the content
version), the curated front page, and the station settings read once and then from the cache."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from newscast.core.models import StationSettings
from newscast.home.demo_newsroom import home_page_ensure
from newscast.home.models import HomeTopStory
from newscast.news.models import SectionPage
from newscast.news.services import story_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(station):
    return home_page_ensure(Site.objects.get(is_default_site=True))


def _section(home, title, slug):
    section = SectionPage(title=title, slug=slug, show_in_menus=True)
    home.add_child(instance=section)
    section.save_revision().publish()
    return SectionPage.objects.get(pk=section.pk)


def _story(section, title):
    body = [{"type": "paragraph", "value": "<p>Sample body.</p>"}]
    return story_create(section, title=title, summary="A sample story.", body=body)


def _route_keys() -> set[str]:
    return {key for key in cache._cache if ":home:route:" in key}  # LocMemCache's own keys


def test_a_story_is_routed_from_the_cache_after_its_first_reader(client, home):
    story = _story(_section(home, "Local", "local"), "Sample: Lee County opens a library")
    client.get(story.url)
    with CaptureQueriesContext(connection) as cold:
        client.get(story.url)
    cache_keys = _route_keys()
    with CaptureQueriesContext(connection) as warm:
        assert client.get(story.url).status_code == 200
    assert cache_keys and _route_keys() == cache_keys
    assert len(warm) <= len(cold)


def test_a_missing_address_is_not_kept_in_the_cache(client, home):
    _section(home, "Local", "local")
    before = _route_keys()
    assert client.get("/local/no-such-story/").status_code == 404
    assert _route_keys() == before


def test_a_story_moved_to_another_section_routes_at_its_new_address(client, home):
    local, sports = _section(home, "Local", "local"), _section(home, "Sports", "sports")
    story = _story(local, "Sample: Tupelo wins the title")
    assert client.get(f"/local/{story.slug}/").status_code == 200
    story.move(sports, pos="last-child")
    assert client.get(f"/sports/{story.slug}/").status_code == 200
    # The old address is not served from the cache: it redirects (Wagtail's redirect).
    moved = client.get(f"/local/{story.slug}/")
    assert moved.status_code == 301 and moved["Location"] == f"/sports/{story.slug}/"


def test_the_front_page_shows_the_curated_top_stories(client, home):
    section = _section(home, "Local", "local")
    first = _story(section, "Sample: first story")
    curated = _story(section, "Sample: curated story")
    _story(section, "Sample: newest story")
    HomeTopStory.objects.create(home=home, story=curated)
    home.lead_story = first
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert html.index("Sample: first story") < html.index("Sample: curated story")


def test_station_settings_are_read_once_per_request_then_from_the_cache(home):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    first = StationSettings.for_request(request)
    assert StationSettings.for_request(request) is first  # kept on the request
    with CaptureQueriesContext(connection) as queries:
        again = StationSettings.for_request(RequestFactory().get("/", HTTP_HOST="localhost"))
    assert again.pk == first.pk
    assert not [q for q in queries if "home_stationsettings" in q["sql"]]
