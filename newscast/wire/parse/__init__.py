"""Feed files -> ParsedFeed: format detection, then feedparser (RSS/Atom) or the ninjs reader.

Everything here is a pure function of the bytes (and the Content-Type they came with).
"""

from __future__ import annotations

from newscast.wire.parse.ninjs import parse_ninjs
from newscast.wire.parse.syndication import parse_syndication
from newscast.wire.parse.types import FeedError, ParsedFeed, WireEntry, WirePicture

__all__ = ["FeedError", "ParsedFeed", "WireEntry", "WirePicture", "detect_format", "parse_feed"]

FORMATS = ("auto", "syndication", "ninjs")
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")


def detect_format(content: bytes, content_type: str = "") -> str:
    """'ninjs' for JSON, 'syndication' for XML; raises FeedError for an HTML page or nothing."""
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if not start:
        raise FeedError("the feed is empty")
    if start[:1] in (b"{", b"[") or "json" in content_type.lower():
        return "ninjs"
    if start.startswith(HTML_STARTS):
        raise FeedError(
            "the address served an HTML web page, not a feed: check the feed URL "
            "(look for the RSS, Atom or JSON link on that page)"
        )
    return "syndication"


def parse_feed(content: bytes, *, content_type: str = "", fmt: str = "auto") -> ParsedFeed:
    """Parse a feed file of the given format ('auto' detects it); raises FeedError on bad input."""
    if fmt == "auto":
        fmt = detect_format(content, content_type)
    elif not content.strip():
        raise FeedError("the feed is empty")
    if fmt == "ninjs":
        return parse_ninjs(content)
    if content.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower().startswith(HTML_STARTS):
        detect_format(content)  # raises the plain-words HTML error
    return parse_syndication(content, content_type=content_type)
