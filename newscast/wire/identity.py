"""Which story an item is, and whether it is a new version: pure functions of the item.

An item is the same story when its guid/uri matches within the feed, or, when it has none,
its normalised link matches. Content alone never merges two items (two agencies' copy of the
same press release are two stories). A new version is told by the item's explicit version,
else its modification date, else a hash of what reaches the page.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track a click rather than name a page.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "cmpid", "mc_cid", "mc_eid", "ocid", "ref", "rss"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_link(url: str) -> str:
    """The link with case, default port, fragment, tracking parameters and trailing / removed."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return url.strip()
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if parts.port and parts.port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{parts.port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def identity_key(guid: str, link: str) -> str:
    """'guid:<guid>' or 'link:<normalised link>'; '' when the item has neither."""
    if guid.strip():
        return f"guid:{guid.strip()}"
    if link.strip():
        return f"link:{normalise_link(link)}"
    return ""


def identity_digest(key: str) -> str:
    """A fixed-length form of the identity key for the database's unique index."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def version_key(*, version: str, updated: datetime | None, content_hash: str) -> str:
    """'v:<version>', 'd:<ISO date>' or 'h:<hash>': how this item's versions are compared."""
    if version.strip():
        return f"v:{version.strip()}"
    if updated is not None:
        return f"d:{updated.isoformat()}"
    return f"h:{content_hash}"


def is_newer(candidate: str, current: str) -> bool:
    """True when the candidate version key names a later version than the current one.

    Versions and dates only move forward: an older copy arriving late (feeds are cached
    at different edges) is not a new version. Hashes can only say "different".
    """
    if not current:
        return True
    kind, value = candidate.split(":", 1)
    current_kind, current_value = current.split(":", 1)
    if kind != current_kind:
        return candidate != current
    if kind == "v" and value.isdigit() and current_value.isdigit():
        return int(value) > int(current_value)
    if kind == "d":
        return datetime.fromisoformat(value) > datetime.fromisoformat(current_value)
    return value != current_value


def content_digest(*parts: str) -> str:
    """A hash of what reaches the page, to tell versions apart when the feed gives no other way."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()
