"""Wire desk views: the demo's sample feeds and the sample agency's story pages."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from pathlib import Path

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import condition

from newscast.core.sanitize import clean_story_html
from newscast.wire.content import plain
from newscast.wire.parse import parse_feed
from newscast.wire.selectors import sample_first_seen

SAMPLE_DIR = Path(__file__).parent / "sample"
SAMPLE_NAME = re.compile(r"^[a-z0-9-]+\.(xml|json|jpg)$")
SAMPLE_TYPES = {
    "xml": "application/rss+xml; charset=utf-8",
    "json": "application/json",
    "jpg": "image/jpeg",
}
SAMPLE_SECOND_EDITION_AFTER = timedelta(minutes=5)
SAMPLE_STORIES_FEED = "newscast-sample-wire.xml"


def _sample_path(name: str) -> Path:
    if not SAMPLE_NAME.match(name) or not (SAMPLE_DIR / name).is_file():
        raise Http404("No such sample feed")
    return SAMPLE_DIR / name


def _sample_edition(path: Path) -> Path:
    """The second edition (name.2.xml) once the desk has followed the feed for a while.

    That is how the demo shows, by itself, an update ("Updated" with a note) and a
    withdrawal arriving on the wire some minutes after the first stories.
    """
    second = path.with_name(f"{path.stem}.2{path.suffix}")
    if not second.is_file():
        return path
    first_seen = sample_first_seen(path.name)
    if first_seen and timezone.now() - first_seen >= SAMPLE_SECOND_EDITION_AFTER:
        return second
    return path


def _sample_content(request, name: str) -> bytes:
    path = _sample_path(name)
    if path.suffix == ".jpg":
        return path.read_bytes()
    base = request.build_absolute_uri("/").rstrip("/")
    return _sample_edition(path).read_bytes().replace(b"SAMPLE_BASE_URL", base.encode())


def _sample_etag(request, name: str) -> str:
    return hashlib.sha256(_sample_content(request, name)).hexdigest()[:16]


@condition(etag_func=_sample_etag)
def sample_feed(request, name: str):
    """A sample wire feed (or its picture) shipped with Newscast; answers 304 to a known ETag."""
    content = _sample_content(request, name)
    return HttpResponse(content, content_type=SAMPLE_TYPES[name.rsplit(".", 1)[1]])


def sample_story(request, slug: str):
    """The sample agency's own page for one of its stories: where "read the original" goes.

    Rendered from the sample feed itself (the edition the feed serves now), so the original
    and the wire copy always agree; labelled as fictional sample copy like the feed.
    """
    feed = parse_feed(_sample_content(request, SAMPLE_STORIES_FEED))
    ending = f"/wire/samples/stories/{slug}"
    entry = next((e for e in feed.entries if e.link.endswith(ending)), None)
    if entry is None:
        raise Http404("No such sample wire story")
    context = {
        "agency": feed.title,
        "headline": plain(entry.headline, 300),
        "byline": plain(entry.byline, 200),
        "published": entry.published or entry.updated,
        "body_html": clean_story_html(entry.body_html or entry.summary_html, entry.link),
        "feed_url": reverse("wire_sample_feed", args=[SAMPLE_STORIES_FEED]),
    }
    return render(request, "wire/sample_story.html", context)
