"""What the parsers return: plain, typed records of a feed and its items, before any cleaning."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime


class FeedError(ValueError):
    """A feed file could not be read as a feed; `str()` says why in plain words."""


@dataclass(frozen=True)
class WirePicture:
    """One picture offered with an item (media:content, enclosure, ninjs rendition...)."""

    url: str
    caption: str = ""
    credit: str = ""
    mime_type: str = ""
    width: int | None = None
    height: int | None = None
    size: int | None = None


@dataclass(frozen=True)
class WireVideoSource:
    """One rendition of a video: an MP4, an HLS playlist, or a type we may not play."""

    url: str
    mime_type: str = ""
    width: int | None = None
    height: int | None = None
    size: int | None = None


@dataclass(frozen=True)
class WireVideo:
    """One video offered with an item (ninjs video renditions, RSS media:content of a video
    type), with its renditions in the source's order and its WebVTT captions if given."""

    sources: tuple[WireVideoSource, ...]
    title: str = ""
    credit: str = ""
    duration: int | None = None
    captions_url: str = ""

    @classmethod
    def from_json(cls, data: dict) -> WireVideo:
        data = dict(data)
        data["sources"] = tuple(WireVideoSource(**s) for s in data.get("sources") or ())
        return cls(**data)


@dataclass(frozen=True)
class WireEntry:
    """One item of a feed as the source sent it. HTML fields are raw: clean before use."""

    guid: str
    link: str
    headline: str
    summary_html: str = ""
    body_html: str = ""
    byline: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    version: str = ""
    # ninjs pubstatus: usable, withheld, canceled (withdrawn is accepted as a synonym).
    pubstatus: str = "usable"
    embargoed_until: datetime | None = None
    pictures: tuple[WirePicture, ...] = ()
    keywords: tuple[str, ...] = ()
    videos: tuple[WireVideo, ...] = ()

    @property
    def withdrawn(self) -> bool:
        return self.pubstatus in WITHDRAWN_STATUSES

    def to_json(self) -> dict:
        """A JSON-ready dict (datetimes as ISO strings), kept with each version of an item."""
        data = asdict(self)
        for key in ("published", "updated", "embargoed_until"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> WireEntry:
        data = dict(data)
        for key in ("published", "updated", "embargoed_until"):
            data[key] = datetime.fromisoformat(data[key]) if data.get(key) else None
        data["pictures"] = tuple(WirePicture(**p) for p in data.get("pictures") or ())
        data["keywords"] = tuple(data.get("keywords") or ())
        # Versions stored before videos were read have no "videos" key.
        data["videos"] = tuple(WireVideo.from_json(v) for v in data.get("videos") or ())
        return cls(**data)


# Renditions that are a caption track rather than a picture (WebVTT, https://www.w3.org/TR/webvtt1/).
CAPTION_TYPES = frozenset({"text/vtt"})
# HLS playlists' types (RFC 8216 names application/vnd.apple.mpegurl; feeds also send these).
HLS_TYPES = frozenset(
    {"application/vnd.apple.mpegurl", "application/x-mpegurl", "audio/mpegurl", "audio/x-mpegurl"}
)

WITHDRAWN_STATUSES = frozenset({"canceled", "cancelled", "withdrawn", "withheld"})


@dataclass
class ParsedFeed:
    """A whole feed: its format, title, items in feed order, and warnings worth showing."""

    format: str
    title: str = ""
    entries: list[WireEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
