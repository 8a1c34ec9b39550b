"""A wire item's lead picture, checked and stored as a Wagtail image.

The download (HTTP) and the check happen before any database transaction; storing is a
separate step inside the item's transaction, so a failed item leaves no orphan image.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from newscast.core.http import FetchError
from newscast.wire.fetch import picture_download

# Pillow format name -> file extension; anything else is refused.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


class PictureError(Exception):
    """A picture could not be used; `str()` says why in plain words."""


@dataclass(frozen=True)
class CheckedPicture:
    url: str
    content: bytes
    extension: str
    width: int
    height: int


def picture_check(url: str, content: bytes, *, max_pixels: int | None = None) -> CheckedPicture:
    """Open with Pillow: a JPEG, PNG, GIF or WebP within the pixel cap, else PictureError."""
    max_pixels = max_pixels or settings.WIRE_MAX_PICTURE_PIXELS
    try:
        with PILImage.open(io.BytesIO(content)) as image:
            kind, (width, height) = image.format, image.size
    except PILImage.DecompressionBombError as exc:
        raise PictureError(f"{url} is too many pixels to open safely") from exc
    except (OSError, ValueError) as exc:
        raise PictureError(f"{url} is not a picture Newscast can read") from exc
    if kind not in ACCEPTED_FORMATS:
        raise PictureError(f"{url} is a {kind} file; only JPEG, PNG, GIF and WebP are taken")
    if width * height > max_pixels:
        raise PictureError(
            f"{url} is {width:,} x {height:,} pixels, over the {max_pixels:,}-pixel cap"
        )
    return CheckedPicture(url, content, ACCEPTED_FORMATS[kind], width, height)


def picture_fetch(client: httpx.Client, url: str) -> CheckedPicture:
    """Download and check a picture; raises PictureError saying why it cannot be used."""
    try:
        fetched = picture_download(client, url)
    except FetchError as exc:
        raise PictureError(str(exc)) from exc
    return picture_check(url, fetched.content)


def picture_store(picture: CheckedPicture, *, title: str):
    """Save the checked picture as a Wagtail image titled with its caption or headline."""
    stem = urlsplit(picture.url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0][:60] or "wire"
    digest = hashlib.sha256(picture.content).hexdigest()[:10]
    name = f"wire-{stem}-{digest}.{picture.extension}"
    image = get_image_model()(
        title=(title or stem)[:255], file=ImageFile(io.BytesIO(picture.content), name=name)
    )
    image.save()
    return image
