"""The demo's wire feeds: two sample feeds served by the demo's own server, polled by its worker.

The feeds point at /wire/samples/... on WAGTAILADMIN_BASE_URL (the demo's address), so the
jobs worker fills the Nation & World section by itself within a minute of starting, and a
second edition (an update and a withdrawal) follows a few minutes later.
"""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Site

from newscast.news.models import SectionPage
from newscast.wire.models import WireFeed

# Section slugs a station might already use for national copy, most likely first.
SECTION_SLUGS = ("nation-world", "national", "world", "national-news")
SAMPLE_FEEDS = [
    {
        "name": "Newscast Sample Wire (RSS)",
        "path": "/wire/samples/newscast-sample-wire.xml",
        "format": WireFeed.Format.SYNDICATION,
        "credit_line": "Newscast Sample Wire (fictional)",
        "default_tags": "sample, wire",
    },
    {
        "name": "Newscast Sample Agency (ninjs)",
        "path": "/wire/samples/newscast-sample-agency.json",
        "format": WireFeed.Format.NINJS,
        "credit_line": "Newscast Sample Agency (fictional)",
        "default_tags": "sample, wire",
    },
]


def section_for_wire() -> SectionPage:
    """The section national wire copy goes to: an existing one, else a new Nation & World."""
    for slug in SECTION_SLUGS:
        section = SectionPage.objects.filter(slug=slug).first()
        if section:
            return section
    # The newsroom's demo (run before this one) made the site's root the home page.
    home = Site.objects.get(is_default_site=True).root_page
    section = SectionPage(title="Nation & World", slug="nation-world", show_in_menus=True)
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


def load(stdout) -> None:
    """Create the sample wire feeds unless the station already has feeds."""
    if WireFeed.objects.exists():
        return
    section = section_for_wire()
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for spec in SAMPLE_FEEDS:
        spec = dict(spec)
        WireFeed.objects.create(
            url=base + spec.pop("path"),
            section=section,
            policy=WireFeed.Policy.PUBLISH,
            poll_interval=1,
            **spec,
        )
    stdout.write(
        f"Wire desk: {len(SAMPLE_FEEDS)} sample feeds polled every minute into "
        f"{section.title} (from {base}/wire/samples/)."
    )
