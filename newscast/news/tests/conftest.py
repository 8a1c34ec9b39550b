"""Fixtures of the news desk's tests: a home page with sections, and a story maker."""

import pytest
from wagtail.models import Page, Site

from newscast.home.models import HomePage
from newscast.news.models import SectionPage
from newscast.news.services import story_create


@pytest.fixture
def home(station):
    """The default site's root is a HomePage (the way the demo sets it up)."""
    from newscast.home.demo_newsroom import home_page_ensure

    return home_page_ensure(Site.objects.get(is_default_site=True))


@pytest.fixture
def section(home):
    return section_add(home, "Local", "local")


@pytest.fixture
def sports(home):
    return section_add(home, "Sports", "sports")


def section_add(home: HomePage, title: str, slug: str) -> SectionPage:
    section = SectionPage(title=title, slug=slug, show_in_menus=True)
    home.add_child(instance=section)
    section.save_revision().publish()
    return SectionPage.objects.get(pk=section.pk)


@pytest.fixture
def make_story(section):
    """story = make_story("Headline", summary=..., ...) publishes under Local by default."""

    def make(title="Tupelo council approves new splash pad", *, into=None, **kwargs):
        kwargs.setdefault("summary", "A fictional test story.")
        kwargs.setdefault("body", [{"type": "paragraph", "value": "<p>Test body text.</p>"}])
        return story_create(into or section, title=title, **kwargs)

    return make


@pytest.fixture
def root_page(db):
    return Page.get_first_root_node()


@pytest.fixture
def sample_image(db, settings, tmp_path):
    """A small Wagtail image drawn with Pillow, stored under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from newscast.home.demo_newsroom import _sample_image

    return _sample_image("Test picture", (10, 20, 30), (200, 210, 220))


@pytest.fixture(autouse=True)
def empty_cache():
    """The banner list and section links are cached; each test starts without them."""
    from django.core.cache import cache

    cache.clear()
