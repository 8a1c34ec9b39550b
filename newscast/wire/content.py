"""Wire copy -> the fields of a story, cleaned: a pure step between parsing and the services.

Headlines, summaries, bylines and captions become plain text; the body is cleaned with the
story allow-list (newscast.core.sanitize), with relative links made absolute against the
item's own address. The first usable picture is picked for the lead image, and the first
video with an MP4 or HLS rendition at a safe address for the lead video (wire_video_pick).
"""

from __future__ import annotations

import html
import ipaddress
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils import timezone

from newscast.core.addresses import internal_kind
from newscast.core.sanitize import clean_story_html, clean_text
from newscast.news.videos import video_address_validate
from newscast.wire.identity import content_digest, version_key
from newscast.wire.parse import WireEntry, WirePicture, WireVideo, WireVideoSource
from newscast.wire.parse.types import HLS_TYPES

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
MP4_TYPES = {"video/mp4"}
VIDEO_TITLE_MAX = 255
# A running time past a day is a feed's mistake (milliseconds sent as seconds...): left out.
VIDEO_DURATION_MAX = 24 * 3600
BY_PREFIX = re.compile(r"^\s*by\s+", re.IGNORECASE)
ASIDE = re.compile(r"\([^)]*\)")  # "(fictional)", "(sample)"
NAME_NOISE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class VideoDraft:
    """A wire video the story can lead with: an MP4 and/or an HLS address (https, public
    hosts), cleaned title and credit, and the WebVTT captions' address to fetch."""

    title: str
    credit: str
    mp4_url: str
    hls_url: str
    duration: int | None
    captions_url: str

    @property
    def key(self) -> str:
        """What tells one video from another: the same key is the same library video."""
        return self.hls_url or self.mp4_url


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
    video: VideoDraft | None = None


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


def video_source_problem(source: WireVideoSource) -> str:
    """Why a rendition cannot be played from a story page, or "" when it can.

    Readers' browsers load the video, so its address must be https (an https page cannot play
    http video) and must not name a host inside a network (a literal private or loopback
    address, localhost): a story must not make readers' browsers reach into their own LAN.
    """
    try:
        video_address_validate(source.url)
    except ValidationError:
        return f"{source.url[:200]} is not an https:// address"
    if source.url.startswith("/") or len(source.url) > URL_MAX:
        return f"{source.url[:200]} is not a full https:// address within {URL_MAX} characters"
    parts = urlsplit(source.url)
    if parts.username or parts.password:
        return f"{parts.hostname} carries a user name or password in the address"
    host = (parts.hostname or "").strip("[]")
    try:
        kind = internal_kind(ipaddress.ip_address(host))
    except ValueError:
        kind = "loopback" if host == "localhost" or host.endswith(".localhost") else None
    if kind:
        return f"{host} is a {kind} address, not one readers can reach"
    if _video_kind(source) is None:
        shown = source.mime_type or "of no declared type"
        return f"{source.url[:200]} is {shown}; only MP4 and HLS (.m3u8) play in every browser"
    return ""


def _video_kind(source: WireVideoSource) -> str | None:
    """ "mp4", "hls", or None, from the declared type, else the address's extension."""
    kind = source.mime_type.lower()
    path = urlsplit(source.url).path.lower()
    if kind in MP4_TYPES or (not kind and path.endswith(".mp4")):
        return "mp4"
    if kind in HLS_TYPES or (kind in ("", "video/mp2t") and path.endswith(".m3u8")):
        return "hls"
    return None


def wire_video_pick(videos) -> tuple[VideoDraft | None, tuple[str, ...]]:
    """The first video with a playable rendition (its first MP4 and first HLS), and notes
    saying why each video before it, or every video, was skipped."""
    notes = []
    for video in videos:
        usable = {"mp4": "", "hls": ""}
        problems = []
        for source in video.sources:
            problem = video_source_problem(source)
            if problem:
                problems.append(problem)
            elif not usable[_video_kind(source)]:
                usable[_video_kind(source)] = source.url
        if usable["mp4"] or usable["hls"]:
            return _video_draft(video, usable["mp4"], usable["hls"]), tuple(notes)
        notes.append("wire video skipped: " + "; ".join(problems or ["it has no renditions"]))
    return None, tuple(notes)


def _video_draft(video: WireVideo, mp4_url: str, hls_url: str) -> VideoDraft:
    return VideoDraft(
        title=plain(video.title, VIDEO_TITLE_MAX),
        credit=plain(video.credit, CREDIT_MAX),
        mp4_url=mp4_url,
        hls_url=hls_url,
        duration=video.duration if 0 < (video.duration or 0) <= VIDEO_DURATION_MAX else None,
        captions_url=web_url(video.captions_url),
    )


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
    video, video_notes = wire_video_pick(entry.videos)
    notes.extend(video_notes)
    # Video parts join the hash only when there is a video, so items hashed before videos
    # were read keep their hash (and are not taken for new versions).
    video_parts = (video.mp4_url, video.hls_url, video.captions_url, video.title) if video else ()
    digest = content_digest(
        headline,
        summary,
        body,
        byline,
        link,
        picture.url if picture else "",
        picture.caption if picture else "",
        picture.credit if picture else "",
        *video_parts,
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
        video=video,
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
