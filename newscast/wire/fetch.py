"""Feed and picture downloads, through newscast.core.http (timeouts, retries, size caps, UA).

Feed URLs are typed by editors and picture URLs come from the feeds themselves, so both go
through the address-checked client: public addresses only, within a deadline and a cap.
"""

from __future__ import annotations

import contextlib

import httpx
from django.conf import settings

from newscast.core.http import Fetched, build_checked_client, fetch

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/json;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
PICTURE_ATTEMPTS = 2
# Wall-clock limits for one download, retries included (a poll run has many feeds to do).
FEED_DEADLINE_SECONDS = 60.0
PICTURE_DEADLINE_SECONDS = 30.0


def wire_client(**kwargs) -> httpx.Client:
    """The client a poll run shares between its feeds and their pictures."""
    return build_checked_client(accept=FEED_ACCEPT, **kwargs)


@contextlib.contextmanager
def shared_client(client: httpx.Client | None):
    """The caller's client when it has one (a poll run shares it), else a new one of our own."""
    if client is not None:
        yield client
        return
    with wire_client() as own:
        yield own


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
        deadline_seconds=FEED_DEADLINE_SECONDS,
    )


def picture_download(client: httpx.Client, url: str) -> Fetched:
    """GET a picture within the byte cap. Raises FetchError."""
    return fetch(
        client,
        url,
        headers={"Accept": "image/jpeg, image/png, image/webp, image/gif"},
        max_bytes=settings.WIRE_MAX_PICTURE_BYTES,
        attempts=PICTURE_ATTEMPTS,
        deadline_seconds=PICTURE_DEADLINE_SECONDS,
    )
