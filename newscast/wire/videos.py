"""A wire item's video as a library video: web-only (not aired on TV), with its captions.

The video itself stays at the agency's address (readers' browsers play it from there); only
its WebVTT caption track is downloaded, through the address-checked client, before the item's
transaction, and stored with the video inside it, as pictures are (pictures.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.core.files.base import ContentFile

from newscast.core.http import FetchError, fetch
from newscast.news.services import video_create
from newscast.news.videos import WEBVTT_SIGNATURE, Video
from newscast.wire.content import VideoDraft

CAPTIONS_MAX_BYTES = 2 * 1024 * 1024  # an hour of captions is ~100 KB; more is not captions
CAPTIONS_ATTEMPTS = 2
CAPTIONS_DEADLINE_SECONDS = 30.0


class CaptionsError(Exception):
    """A caption track could not be used; `str()` says why in plain words."""


@dataclass(frozen=True)
class CheckedCaptions:
    url: str
    content: bytes


def captions_fetch(client: httpx.Client, url: str) -> CheckedCaptions:
    """Download a WebVTT track within the cap and check its signature; raises CaptionsError."""
    try:
        fetched = fetch(
            client,
            url,
            headers={"Accept": "text/vtt"},
            max_bytes=CAPTIONS_MAX_BYTES,
            attempts=CAPTIONS_ATTEMPTS,
            deadline_seconds=CAPTIONS_DEADLINE_SECONDS,
        )
    except FetchError as exc:
        raise CaptionsError(str(exc)) from exc
    if not fetched.content.removeprefix(b"\xef\xbb\xbf").startswith(WEBVTT_SIGNATURE):
        raise CaptionsError(f"{url} is not a WebVTT file (it does not start with WEBVTT)")
    return CheckedCaptions(url, fetched.content)


def wire_video_store(
    video: VideoDraft, captions: CheckedCaptions | None, *, title: str, credit: str, poster
) -> Video:
    """Add the wire video to the library: not aired on TV, its agency's credit, the story's
    lead picture as its poster, and the captions when they came."""
    fields = {
        "title": (video.title or title)[:255],
        "mp4_url": video.mp4_url,
        "hls_url": video.hls_url,
        "duration_seconds": video.duration,
        "credit": (video.credit or credit)[:200],
        "poster": poster,
        "aired_on_tv": False,  # the agency's web video; our on-air captions rule does not bind it
    }
    if captions is not None:
        stem = urlsplit(captions.url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0][:60] or "wire"
        digest = hashlib.sha256(captions.content).hexdigest()[:10]
        fields["captions"] = ContentFile(captions.content, name=f"wire-{stem}-{digest}.vtt")
    return video_create(**fields)
