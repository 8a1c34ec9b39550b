"""Fixtures of the wire desk's tests: a section to fill, feeds, and recorded feed files."""

from pathlib import Path

import pytest
from wagtail.models import Site

from newscast.home.demo_newsroom import home_page_ensure
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


PICTURE_HOSTS = (
    "https://cdn.example.net",
    "https://agency.example.com/images",
    "https://agency.example.com/media/image",
    "https://radio.example.org/images",
    "https://wire.example.net/images",
)


def jpeg_bytes(width=64, height=48, color=(200, 40, 40)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def serve(httpserver):
    """serve("file.xml", path="/feed") serves a recorded feed whose pictures point here.

    Every picture address of the recorded files is rewritten to /pictures/... on the local
    server, which answers with a real JPEG, so no test reaches for the internet.
    """
    import re

    base = httpserver.url_for("/pictures").encode()
    httpserver.expect_request(re.compile(r"^/pictures/")).respond_with_data(
        jpeg_bytes(), content_type="image/jpeg"
    )

    def serve_file(name, path="/feed", content_type="application/rss+xml", **kwargs):
        content = feed_file(name)
        for host in PICTURE_HOSTS:
            content = content.replace(host.encode(), base)
        httpserver.expect_request(path).respond_with_data(
            content, content_type=content_type, **kwargs
        )
        return httpserver.url_for(path)

    return serve_file


@pytest.fixture
def make_feed(section):
    from newscast.wire.models import WireFeed

    def make(url, *, name="Magnolia Network News", **kwargs):
        kwargs.setdefault("credit_line", "MNN")
        return WireFeed.objects.create(name=name, url=url, section=section, **kwargs)

    return make
