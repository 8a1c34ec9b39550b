"""Wire copy -> the fields of a story, cleaned: a pure step between parsing and the services.

Headlines, summaries, bylines and captions become plain text; the body is cleaned with the
story allow-list (newscast.core.sanitize), with relative links made absolute against the
item's own address. The first usable picture is picked for the lead image.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from newscast.core.sanitize import clean_story_html, clean_text
from newscast.wire.identity import content_digest, version_key
from newscast.wire.parse import WireEntry, WirePicture

# A story date this far ahead of the clock is a feed's mistake, not a scheduled story (that is
# what embargoes are for); such dates are replaced by the time the item was first seen.
FUTURE_DATE_TOLERANCE = timedelta(minutes=15)
HEADLINE_MAX = 255
BYLINE_MAX = 255
CAPTION_MAX = 500
CREDIT_MAX = 200
SUMMARY_MAX = 600
URL_MAX = 1000
PICTURE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
BY_PREFIX = re.compile(r"^\s*by\s+", re.IGNORECASE)
ASIDE = re.compile(r"\([^)]*\)")  # "(fictional)", "(sample)"
NAME_NOISE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class StoryDraft:
    """What an item would put on a story page, cleaned, plus its version key and hash."""

    headline: str
    summary: str
    body_html: str
    byline: str
    canonical_url: str
    posted_at: datetime | None
    embargoed_until: datetime | None
    picture: WirePicture | None
    content_hash: str
    version_key: str
    notes: tuple[str, ...] = field(default=())


def plain(value: str, limit: int) -> str:
    """Outside HTML or text -> one line of plain text (tags dropped, entities decoded)."""
    text = html.unescape(clean_text(value or ""))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def web_url(url: str) -> str:
    """The URL when it is an http(s) address that fits the story's URL fields, else ''."""
    ok = url.startswith(("http://", "https://")) and len(url) <= URL_MAX
    return url if ok else ""


def pick_picture(pictures, max_bytes: int, max_pixels: int) -> WirePicture | None:
    """The first picture that is a web image within the declared size limits."""
    for picture in pictures:
        if not web_url(picture.url):
            continue
        if picture.mime_type and picture.mime_type.lower() not in PICTURE_TYPES:
            continue
        if picture.size and picture.size > max_bytes:
            continue
        if picture.width and picture.height and picture.width * picture.height > max_pixels:
            continue
        return picture
    return None


def draft_from_entry(
    entry: WireEntry,
    *,
    base_url: str = "",
    now: datetime | None = None,
    max_picture_bytes: int,
    max_picture_pixels: int,
) -> StoryDraft:
    """Clean an item into story fields; `now` is the clock used to catch future dates."""
    now = now or timezone.now()
    notes = []
    link = web_url(entry.link)
    body = clean_story_html(entry.body_html or entry.summary_html, link or base_url or None)
    headline = plain(entry.headline, HEADLINE_MAX) or plain(entry.summary_html, 120)
    summary = plain(entry.summary_html, SUMMARY_MAX)
    if summary == plain(body, SUMMARY_MAX):
        summary = ""  # an RSS description used as the body is not also a summary
    # The news desk's bylines read "By Jane Doe"; feeds send either form.
    byline = BY_PREFIX.sub("", plain(entry.byline, BYLINE_MAX - 3))
    byline = f"By {byline}" if byline else ""
    posted_at = entry.published or entry.updated
    if posted_at and posted_at > now + FUTURE_DATE_TOLERANCE:
        notes.append(f"its date {posted_at.isoformat()} is in the future; using the time seen")
        posted_at = None
    picture = pick_picture(entry.pictures, max_picture_bytes, max_picture_pixels)
    if picture:
        picture = WirePicture(
            url=picture.url,
            caption=plain(picture.caption, CAPTION_MAX),
            credit=plain(picture.credit, CREDIT_MAX),
            mime_type=picture.mime_type,
            width=picture.width,
            height=picture.height,
            size=picture.size,
        )
    digest = content_digest(
        headline,
        summary,
        body,
        byline,
        link,
        picture.url if picture else "",
        picture.caption if picture else "",
        picture.credit if picture else "",
    )
    return StoryDraft(
        headline=headline,
        summary=summary,
        body_html=body,
        byline=byline,
        canonical_url=link,
        posted_at=posted_at,
        embargoed_until=entry.embargoed_until,
        picture=picture,
        content_hash=digest,
        version_key=version_key(version=entry.version, updated=entry.updated, content_hash=digest),
        notes=tuple(notes),
    )


def byline_beside_credit(byline: str, credit: str) -> str:
    """The byline without the agency the credit line already names (the story shows both).

    "By Newscast Sample Wire" beside the credit "Newscast Sample Wire (fictional)" becomes
    no byline; "By Avery Lindqvist, Newscast Sample Wire" becomes "By Avery Lindqvist".
    """
    agency = _name_key(credit)
    if not byline or not agency:
        return byline
    names = BY_PREFIX.sub("", byline).split(",")
    while names and _name_key(names[-1]) == agency:
        names.pop()
    kept = ",".join(names).strip()
    return f"By {kept}" if kept else ""


def _name_key(name: str) -> str:
    return NAME_NOISE.sub("", ASIDE.sub("", name.lower()))
