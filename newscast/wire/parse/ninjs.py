"""IPTC ninjs (News in JSON) 1.x, 2.x and 3.0, read into WireEntry records.

The three versions name the same things differently:
- 1.x: headline, byline, body_html/body_text, description_html/description_text, and
  associations/renditions as objects keyed by name;
- 2.x: headlines[], bodies[], descriptions[] (each {role, contenttype, value}), `by`, and
  associations/renditions as arrays of objects with a `name`;
- 3.0: the 2.x shape with camelCase names (pubStatus, versionCreated, firstCreated,
  contentType, embargoedUntil, sizeInBytes).
Keys are compared lower-cased, which folds 3.0 onto 2.x; the rest is a handful of fallbacks.
A file may hold one item, a list of items, or an envelope {"items": [...]} (also
{"data": {"items": [{"item": {...}}]}}, the shape of agency APIs).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html import escape

from newscast.core.jsondata import JSONTooDeep, json_parse
from newscast.wire.parse.types import (
    CAPTION_TYPES,
    FeedError,
    ParsedFeed,
    WireEntry,
    WirePicture,
    WireVideo,
    WireVideoSource,
)

PICTURE_TYPES = {"picture", "graphic", "image"}
# Renditions a story page shows best, most wanted first; anything else comes after.
RENDITION_PREFERENCE = ("main", "baseimage", "preview", "hires", "original", "thumbnail")


def parse_ninjs(content: bytes) -> ParsedFeed:
    """Parse ninjs JSON bytes; raises FeedError when the file is not JSON or holds no items."""
    try:
        data = json_parse(content.decode("utf-8-sig"))
    except JSONTooDeep as exc:
        raise FeedError(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise FeedError(f"the JSON is not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise FeedError(
            f"the JSON is malformed ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from exc
    raw_items, title = _items(data)
    entries, warnings = [], []
    for position, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            warnings.append(f"item {position} is not a JSON object; skipped")
            continue
        item = _lower_keys(raw)
        if not item.get("uri"):
            warnings.append(f"item {position} has no uri; skipped")
            continue
        entries.append(_entry(item))
    return ParsedFeed(format=_version(raw_items), title=title, entries=entries, warnings=warnings)


def _items(data) -> tuple[list, str]:
    if isinstance(data, list):
        return data, ""
    if not isinstance(data, dict):
        raise FeedError("the JSON holds neither a ninjs item nor a list of items")
    if isinstance(data.get("data"), dict):
        data = data["data"]
    if isinstance(data.get("items"), list):
        items = [i.get("item", i) if isinstance(i, dict) else i for i in data["items"]]
        return items, str(data.get("title", ""))
    if "uri" in data:
        return [data], ""
    raise FeedError("the JSON holds neither a ninjs item (no uri) nor a list of items")


def _version(items: list) -> str:
    for item in items:
        if isinstance(item, dict):
            standard = item.get("standard") or {}
            if isinstance(standard, dict) and standard.get("version"):
                return f"ninjs{standard['version']}"
            if "pubStatus" in item or "versionCreated" in item:
                return "ninjs3"
            if "headlines" in item or "bodies" in item:
                return "ninjs2"
            return "ninjs1"
    return "ninjs"


def _lower_keys(value):
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def _entry(item: dict) -> WireEntry:
    status = str(item.get("pubstatus") or "usable").lower()
    return WireEntry(
        guid=str(item["uri"]),
        link=_link(item),
        headline=_text_of(item, "headline", "headlines"),
        summary_html=_html_of(item, "description", "descriptions"),
        body_html=_html_of(item, "body", "bodies"),
        byline=str(item.get("byline") or item.get("by") or ""),
        published=_when(item.get("firstcreated")),
        updated=_when(item.get("versioncreated")),
        version=str(item.get("version") or ""),
        pubstatus=status,
        embargoed_until=_when(item.get("embargoed") or item.get("embargoeduntil")),
        pictures=tuple(_pictures(item)),
        keywords=tuple(_keywords(item)),
        videos=tuple(_videos(item)),
    )


def _link(item: dict) -> str:
    """The public web address: a `link`/`url`, else the uri when it is an http(s) URL."""
    for key in ("link", "url", "canonicalurl", "webpage"):
        if isinstance(item.get(key), str) and item[key].startswith(("http://", "https://")):
            return item[key]
    uri = str(item.get("uri", ""))
    return uri if uri.startswith(("http://", "https://")) else ""


def _main(parts) -> dict | None:
    if not isinstance(parts, list):
        return None
    parts = [p for p in parts if isinstance(p, dict) and p.get("value")]
    return next((p for p in parts if p.get("role") in ("main", None)), parts[0] if parts else None)


def _text_of(item: dict, single: str, plural: str) -> str:
    if item.get(single):
        return str(item[single])
    part = _main(item.get(plural))
    return str(part["value"]) if part else ""


def _html_of(item: dict, single: str, plural: str) -> str:
    """HTML of a body or description: the 1.x *_html, a text/html part, or escaped plain text."""
    if item.get(f"{single}_html"):
        return str(item[f"{single}_html"])
    if item.get(f"{single}_text"):
        return _paragraphs(str(item[f"{single}_text"]))
    parts = [p for p in item.get(plural) or () if isinstance(p, dict) and p.get("value")]
    html = [p for p in parts if "html" in str(p.get("contenttype", ""))]
    if html:
        return str((_main(html) or html[0])["value"])
    part = _main(parts)
    return _paragraphs(str(part["value"])) if part else ""


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def _when(value) -> datetime | None:
    """An ISO 8601 date-time; None when absent or unreadable. Naive times are taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _associations(item: dict) -> list[dict]:
    found = item.get("associations") or ()
    if isinstance(found, dict):  # 1.x: {"featureimage": {...}}
        return [dict(v, name=k) for k, v in found.items() if isinstance(v, dict)]
    return [a for a in found if isinstance(a, dict)]


def _renditions(association: dict) -> list[dict]:
    found = association.get("renditions") or ()
    if isinstance(found, dict):
        found = [dict(v, name=k) for k, v in found.items() if isinstance(v, dict)]
    found = [r for r in found if isinstance(r, dict) and r.get("href")]

    def rank(rendition):
        name = str(rendition.get("name", "")).lower()
        return RENDITION_PREFERENCE.index(name) if name in RENDITION_PREFERENCE else 99

    return sorted(found, key=rank)


def _pictures(item: dict):
    for association in _associations(item):
        if str(association.get("type", "picture")).lower() not in PICTURE_TYPES:
            continue
        caption = _text_of(association, "description_text", "descriptions") or _text_of(
            association, "headline", "headlines"
        )
        credit = str(
            association.get("byline")
            or association.get("by")
            or association.get("copyrightholder")
            or ""
        )
        for rendition in _renditions(association):
            yield WirePicture(
                url=str(rendition["href"]),
                caption=caption,
                credit=credit,
                mime_type=str(rendition.get("mimetype") or rendition.get("contenttype") or ""),
                width=_int(rendition.get("width")),
                height=_int(rendition.get("height")),
                size=_int(rendition.get("sizeinbytes")),
            )


def _videos(item: dict):
    """A video item's own renditions, then each video association's: one WireVideo each."""
    if str(item.get("type", "")).lower() == "video":
        yield from _video_of(item, title="", credit="")
    for association in _associations(item):
        if str(association.get("type", "")).lower() == "video":
            title = _text_of(association, "headline", "headlines")
            credit = str(association.get("byline") or association.get("by") or "")
            yield from _video_of(association, title=title, credit=credit)


def _video_of(source: dict, *, title: str, credit: str):
    """The source's playable renditions as one WireVideo (none when it has none)."""
    renditions = [(r, _mime(r)) for r in _renditions(source)]
    playable = [
        WireVideoSource(
            url=str(rendition["href"]),
            mime_type=mime,
            width=_int(rendition.get("width")),
            height=_int(rendition.get("height")),
            size=_int(rendition.get("sizeinbytes")),
        )
        for rendition, mime in renditions
        if mime not in CAPTION_TYPES and not mime.startswith("image/")
    ]
    if not playable:
        return
    durations = [_int(r.get("duration")) for r, _ in renditions] + [_int(source.get("duration"))]
    yield WireVideo(
        sources=tuple(playable),
        title=title,
        credit=credit,
        duration=next((d for d in durations if d), None),
        captions_url=next((str(r["href"]) for r, m in renditions if m in CAPTION_TYPES), ""),
    )


def _mime(rendition: dict) -> str:
    return str(rendition.get("mimetype") or rendition.get("contenttype") or "").lower()


def _keywords(item: dict):
    for keyword in item.get("keywords") or ():
        if isinstance(keyword, str):
            yield keyword
    for subject in item.get("subjects") or item.get("subject") or ():
        if isinstance(subject, dict) and subject.get("name"):
            yield str(subject["name"])


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
