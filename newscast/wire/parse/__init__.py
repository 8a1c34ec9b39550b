"""Feed files -> ParsedFeed: format detection, then feedparser (RSS/Atom) or the ninjs reader.

Everything here is a pure function of the bytes (and the Content-Type they came with).
"""

from __future__ import annotations

from newscast.wire.parse.ninjs import parse_ninjs
from newscast.wire.parse.syndication import parse_syndication
from newscast.wire.parse.types import (
    FeedError,
    ParsedFeed,
    WireEntry,
    WirePicture,
    WireVideo,
    WireVideoSource,
)

__all__ = [
    "FeedError",
    "ParsedFeed",
    "WireEntry",
    "WirePicture",
    "WireVideo",
    "WireVideoSource",
    "detect_format",
    "parse_feed",
]

FORMATS = ("auto", "syndication", "ninjs")
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")


def detect_format(content: bytes, content_type: str = "", *, from_file: bool = False) -> str:
    """'ninjs' for JSON, 'syndication' for XML; raises FeedError for an HTML page or nothing.

    `from_file` words the errors for a saved file (`wire import`) rather than a feed address.
    """
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if not start:
        raise FeedError("the file is empty" if from_file else "the feed is empty")
    if start[:1] in (b"{", b"[") or "json" in content_type.lower():
        return "ninjs"
    if start.startswith(HTML_STARTS):
        raise FeedError(html_page_message(from_file))
    return "syndication"


def html_page_message(from_file: bool) -> str:
    if from_file:
        return (
            "the file is an HTML web page, not a feed: save the feed itself "
            "(the RSS, Atom or JSON link on that page)"
        )
    return (
        "the address served an HTML web page, not a feed: check the feed URL "
        "(look for the RSS, Atom or JSON link on that page)"
    )


def parse_feed(
    content: bytes, *, content_type: str = "", fmt: str = "auto", from_file: bool = False
) -> ParsedFeed:
    """Parse a feed file of the given format ('auto' detects it); raises FeedError on bad input."""
    if fmt == "auto":
        fmt = detect_format(content, content_type, from_file=from_file)
    elif not content.strip():
        raise FeedError("the file is empty" if from_file else "the feed is empty")
    if fmt == "ninjs":
        return parse_ninjs(content)
    if content.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower().startswith(HTML_STARTS):
        raise FeedError(html_page_message(from_file))
    return parse_syndication(content, content_type=content_type)
