"""Stage 1: read a source (a local file or a URL) as lines of text, with its SHA-256."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlparse

from django.conf import settings

from newscast.core.http import build_checked_client, fetch
from newscast.datadesk.sources import SourceError

CHUNK = 1 << 20
# A dataset URL may be a large file on a slow public server; still not forever.
DOWNLOAD_DEADLINE_SECONDS = 600.0


@dataclass
class SourceText:
    """An opened source: where it came from, its checksum and its lines.

    `cut_line` is the number of the last line when it has no line break at its end: every
    file the sources publish ends with one, so a file without it was cut off, perhaps
    mid-value (a deaths figure of 116 cut to "1" still looks like a number).
    """

    location: str
    name: str
    checksum: str
    lines: TextIO
    cut_line: int | None = None


def cut_line(line_breaks: int, last_byte: bytes) -> int | None:
    """The last line's number if the content ends without a line break (and is not empty)."""
    if not last_byte or last_byte == b"\n":
        return None
    return line_breaks + 1


def is_url(location: str) -> bool:
    return urlparse(location).scheme in ("http", "https")


@contextmanager
def source_open(location: str) -> Iterator[SourceText]:
    """Open a file path or an http(s) URL for reading; SourceError (or FetchError) if it can't be.

    A file is streamed from disk (a full NYT history is ~100 MB). A URL is downloaded through
    core.http (streamed, retried, capped at DATADESK_MAX_SOURCE_BYTES, public addresses only,
    within DOWNLOAD_DEADLINE_SECONDS) and then read in place.
    """
    if is_url(location):
        with build_checked_client(accept="text/csv, text/plain, */*") as client:
            fetched = fetch(
                client,
                location,
                max_bytes=settings.DATADESK_MAX_SOURCE_BYTES,
                deadline_seconds=DOWNLOAD_DEADLINE_SECONDS,
            )
        content = fetched.content
        checksum = hashlib.sha256(content).hexdigest()
        lines = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
        name = Path(urlparse(fetched.url).path).name
        cut = cut_line(content.count(b"\n"), content[-1:])
        yield SourceText(location, name, checksum, lines, cut)
        return
    path = Path(location)
    if not path.is_file():
        raise SourceError(f"No file at {location}: give a readable file path or an http(s) URL.")
    cap = settings.DATADESK_MAX_SOURCE_BYTES
    if path.stat().st_size > cap:
        raise SourceError(
            f"{path.name} is {path.stat().st_size:,} bytes, over the {cap:,}-byte cap for one "
            "source (DATADESK_MAX_SOURCE_BYTES)."
        )
    digest = hashlib.sha256()
    line_breaks, last = 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            line_breaks += chunk.count(b"\n")
            last = chunk[-1:]
    with path.open(encoding="utf-8-sig", newline="") as lines:
        yield SourceText(
            location, path.name, digest.hexdigest(), lines, cut_line(line_breaks, last)
        )
