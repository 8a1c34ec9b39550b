"""Fixtures of the wire desk's tests: a section to fill, feeds, and recorded feed files."""

from pathlib import Path

import pytest
from wagtail.models import Site

from newscast.news.demo import home_page_ensure
from newscast.news.models import SectionPage

FEEDS = Path(__file__).parent / "feeds"


def feed_file(name: str) -> bytes:
    """A recorded feed file from tests/feeds/."""
    return (FEEDS / name).read_bytes()


@pytest.fixture
def home(station):
    return home_page_ensure(Site.objects.get(is_default_site=True))


@pytest.fixture
def section(home):
    section = SectionPage(title="Nation & World", slug="nation-world")
    home.add_child(instance=section)
    section.save_revision().publish()
    return SectionPage.objects.get(pk=section.pk)
