"""RSS 0.9x/1.0/2.0 and Atom, read with feedparser into WireEntry records.

feedparser does the hard parts (encodings, date formats, namespaces, relative URIs). Its own
HTML sanitiser is turned off: outside HTML is cleaned once, by newscast.core.sanitize, with
the story allow-list (which keeps allow-listed video iframes feedparser would drop).
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import feedparser

from newscast.wire.parse.types import (
    CAPTION_TYPES,
    HLS_TYPES,
    FeedError,
    ParsedFeed,
    WireEntry,
    WirePicture,
    WireVideo,
    WireVideoSource,
)

# feedparser reports these when it had to guess or override the declared encoding; the
# feed is still read, so they are warnings, not errors.
ENCODING_WARNINGS = (
    feedparser.CharacterEncodingOverride,
    feedparser.CharacterEncodingUnknown,
    feedparser.NonXMLContentType,
)
IMAGE_MEDIUMS = {"image", ""}


def parse_syndication(content: bytes, *, content_type: str = "", url: str = "") -> ParsedFeed:
    """Parse RSS or Atom bytes; raises FeedError when the file is not a readable feed."""
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(
        content,
        response_headers=headers or None,
        sanitize_html=False,
        resolve_relative_uris=True,
    )
    warnings = []
    if parsed.bozo:
        problem = parsed.get("bozo_exception")
        if isinstance(problem, ENCODING_WARNINGS):
            warnings.append(f"encoding: {problem}")
        else:
            raise FeedError(f"the feed is not well-formed XML ({_plain(problem)})")
    if not parsed.version:
        raise FeedError("the file is not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed> root)")
    entries = [_entry(e) for e in parsed.entries]
    return ParsedFeed(
        format=parsed.version,
        title=parsed.feed.get("title", ""),
        entries=entries,
        warnings=warnings,
    )


def _plain(problem) -> str:
    text = str(problem) if problem else "unknown problem"
    return text.replace("<unknown>:", "line ")


def _entry(e) -> WireEntry:
    summary = e.get("summary", "")
    content = e.get("content") or []
    body = next((c.get("value", "") for c in content if "html" in c.get("type", "")), "")
    if not body and content:
        body = content[0].get("value", "")
    return WireEntry(
        guid=(e.get("id") or "").strip(),
        link=(e.get("link") or "").strip(),
        headline=e.get("title", ""),
        summary_html=summary,
        body_html=body,
        byline=_byline(e),
        published=_when(e.get("published_parsed")),
        # Only an explicit <updated>/<dc:modified> counts: RSS pubDate is not a version.
        updated=_when(e.get("updated_parsed")) if "updated" in e else None,
        pictures=tuple(_pictures(e)),
        keywords=tuple(t["term"] for t in e.get("tags") or () if t.get("term")),
        videos=_videos(e),
    )


def _byline(e) -> str:
    names = [a.get("name", "") for a in e.get("authors") or () if a.get("name")]
    return ", ".join(names) or e.get("author", "")


def _when(parsed) -> datetime | None:
    """feedparser's UTC struct_time -> an aware datetime; None when absent or unreadable."""
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _pictures(e):
    """Pictures in the order a newsroom would pick them: media:content, thumbnails, enclosures."""
    credit = _credit(e)
    caption = _caption(e)
    for media in e.get("media_content") or ():
        kind = media.get("type", "")
        if media.get("url") and (media.get("medium", "") in IMAGE_MEDIUMS or "image" in kind):
            if kind and not kind.startswith("image/"):
                continue
            yield WirePicture(
                url=media["url"],
                caption=caption,
                credit=credit,
                mime_type=kind,
                width=_int(media.get("width")),
                height=_int(media.get("height")),
                size=_int(media.get("filesize")),
            )
    for thumb in e.get("media_thumbnail") or ():
        if thumb.get("url"):
            yield WirePicture(
                url=thumb["url"],
                caption=caption,
                credit=credit,
                width=_int(thumb.get("width")),
                height=_int(thumb.get("height")),
            )
    for link in e.get("enclosures") or ():
        if link.get("href") and link.get("type", "").startswith("image/"):
            yield WirePicture(
                url=link["href"],
                caption=caption,
                credit=credit,
                mime_type=link["type"],
                size=_int(link.get("length")),
            )


def is_video_type(medium: str, kind: str) -> bool:
    """Media RSS medium="video", a video/* type, or an HLS playlist's type."""
    kind = kind.lower()
    return medium == "video" or kind.startswith("video/") or kind in HLS_TYPES


def _videos(e) -> tuple[WireVideo, ...]:
    """The item's video media:content and video enclosures, as one video with several
    renditions (feedparser flattens media:group), its captions from a text/vtt media:content."""
    sources, captions_url, duration = [], "", None
    for media in e.get("media_content") or ():
        kind, url = media.get("type", ""), media.get("url", "")
        if not url:
            continue
        if kind.lower() in CAPTION_TYPES:
            captions_url = captions_url or url
        elif is_video_type(media.get("medium", ""), kind):
            sources.append(
                WireVideoSource(
                    url=url,
                    mime_type=kind.lower(),
                    width=_int(media.get("width")),
                    height=_int(media.get("height")),
                    size=_int(media.get("filesize")),
                )
            )
            duration = duration or _int(media.get("duration"))
    for link in e.get("enclosures") or ():
        if link.get("href") and is_video_type("", link.get("type", "")):
            sources.append(
                WireVideoSource(
                    url=link["href"], mime_type=link["type"].lower(), size=_int(link.get("length"))
                )
            )
    if not sources:
        return ()
    # feedparser keeps no media:title, so the video takes the story's headline.
    video = WireVideo(
        sources=tuple(sources), credit=_credit(e), duration=duration, captions_url=captions_url
    )
    return (video,)


def _credit(e) -> str:
    credits = e.get("media_credit") or ()
    return next((c.get("content", "") for c in credits if c.get("content")), "") or e.get(
        "credit", ""
    )


def _caption(e) -> str:
    # feedparser stores <media:description> in summary_detail (leaving `summary` as the
    # item's own description), so a differing summary_detail is the picture's caption.
    detail = (e.get("summary_detail") or {}).get("value", "")
    return detail if detail and detail != e.get("summary", "") else ""
