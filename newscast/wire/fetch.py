"""Feed and picture downloads, through newscast.core.http (timeouts, retries, size caps, UA)."""

from __future__ import annotations

import httpx
from django.conf import settings

from newscast.core.http import Fetched, build_client, fetch

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/json;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
PICTURE_ATTEMPTS = 2


def wire_client(**kwargs) -> httpx.Client:
    """The client a poll run shares between its feeds and their pictures."""
    return build_client(accept=FEED_ACCEPT, **kwargs)


def conditional_headers(etag: str, last_modified: str) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from what the feed's server said last time."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def feed_download(client: httpx.Client, url: str, *, etag="", last_modified="") -> Fetched:
    """GET a feed, conditionally; a 304 comes back as Fetched.not_modified. Raises FetchError."""
    return fetch(
        client,
        url,
        headers=conditional_headers(etag, last_modified),
        max_bytes=settings.WIRE_MAX_FEED_BYTES,
    )


def picture_download(client: httpx.Client, url: str) -> Fetched:
    """GET a picture within the byte cap. Raises FetchError."""
    return fetch(
        client,
        url,
        headers={"Accept": "image/jpeg, image/png, image/webp, image/gif"},
        max_bytes=settings.WIRE_MAX_PICTURE_BYTES,
        attempts=PICTURE_ATTEMPTS,
    )
