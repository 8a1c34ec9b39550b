"""Keep the last good copy of each radar loop the site offers (RIDGE animated GIFs): the
station's radar site and every weather city's own (from its /points answer)."""

from __future__ import annotations

import time
from datetime import datetime
from email.utils import parsedate_to_datetime

from django.utils import timezone

from newscast.core.http import FetchError, build_client, fetch
from newscast.weather import selectors
from newscast.weather.models import RadarLoop
from newscast.weather.nws.client import user_agent
from newscast.weather.nws.urls import radar_loop_url
from newscast.weather.services.common import logger

MAX_RADAR_BYTES = 20 * 1024 * 1024
# All the loops together, inside the 10-minute weather refresh job beside its 90 s city refresh.
RADAR_DEADLINE_SECONDS = 60.0
IMAGE_TYPES = ("image/gif", "image/png", "image/jpeg")


def radar_refresh(
    *, now: datetime | None = None, deadline_seconds: float = RADAR_DEADLINE_SECONDS
) -> str:
    """Download every offered radar loop within one overall deadline, so a slow radar host
    cannot hold the worker past the next refresh; a site that fails (or gets no time left)
    keeps its last copy and records why, the others are still fetched. Raises FetchError
    naming the failures, if any."""
    now = now or timezone.now()
    sites = [site for site, _ in selectors.radar_sites()]
    if not sites:
        return "No radar site in the station settings or the cities' grids."
    deadline = time.monotonic() + deadline_seconds
    done, failed = [], []
    for site in sites:
        left = deadline - time.monotonic()
        if left <= 0:
            failed.append(
                FetchError(
                    f"{site}: no time left in the radar refresh's deadline",
                    url=radar_loop_url(site),
                )
            )
            continue
        try:
            done.append(_refresh_site(site, now, left))
        except FetchError as exc:
            failed.append(exc)
    if failed:
        raise FetchError("; ".join(str(exc) for exc in failed), url=failed[0].url)
    return "; ".join(done)


def _refresh_site(site: str, now: datetime, deadline_seconds: float) -> str:
    loop, _ = RadarLoop.objects.get_or_create(site=site)
    loop.last_try_at = now
    url = radar_loop_url(site)
    try:
        with build_client(user_agent=user_agent()) as client:
            fetched = fetch(
                client, url, max_bytes=MAX_RADAR_BYTES, deadline_seconds=deadline_seconds
            )
        content_type = fetched.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type not in IMAGE_TYPES or not fetched.content:
            raise FetchError(
                f"{url} answered {content_type or 'no content type'}, not an image", url=url
            )
    except FetchError as exc:
        logger.warning("Radar loop problem - %s: %s", site, exc)
        loop.last_error = str(exc)
        loop.save(update_fields=["last_try_at", "last_error"])
        raise
    loop.image = fetched.content
    loop.content_type = content_type
    loop.last_modified = _http_date(fetched.headers.get("Last-Modified"))
    loop.fetched_at = now
    loop.last_error = ""
    loop.is_sample = False
    loop.save()
    return f"Radar loop {site}: {len(fetched.content):,} bytes"


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
