"""The temperatures map's station list: every NWS observation station in the covered states,
from /stations?state=..&state=.. (500 a page, followed by its `pagination.next` cursor), kept
for a day: station metadata changes rarely, and the API caches the list 24 h itself
(https://www.weather.gov/documentation/services-web-api).

The list is replaced only when every page came back: a page that fails or a deadline reached
keeps the last good list whole. A malformed station is skipped with its reason logged.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from newscast.core.selectors import station_for_default_site
from newscast.weather.models import MapStation
from newscast.weather.nws.client import NwsClient, NwsError
from newscast.weather.nws.parse import NwsDataError, parse_station_page
from newscast.weather.nws.urls import state_stations_path
from newscast.weather.services.common import logger

# Two states list about 300 stations: one or two pages. A cursor that never ends (the API
# has sent a `next` on its last, empty page) stops here.
MAX_PAGES = 20
LIST_DEADLINE = timedelta(seconds=60)
LIST_MAX_AGE = timedelta(hours=24)


class StationListError(Exception):
    """The station list could not be read; the last good list stays."""


@dataclass
class StationList:
    stations: dict = field(default_factory=dict)  # station id -> Station
    pages: int = 0
    skipped: list[str] = field(default_factory=list)


def station_list_due(now: datetime | None = None) -> bool:
    """True when no live list is stored or the newest is older than LIST_MAX_AGE."""
    now = now or timezone.now()
    newest = MapStation.objects.filter(is_sample=False).aggregate(newest=Max("listed_at"))
    return newest["newest"] is None or now - newest["newest"] >= LIST_MAX_AGE


def map_stations_refresh(*, now: datetime | None = None) -> str:
    """Fetch the covered states' station list and keep it; returns a one-line summary.
    Raises StationListError (and keeps the last good list) when it could not be read."""
    now = now or timezone.now()
    station = station_for_default_site()
    states = station.covered_state_codes() if station else []
    if not states:
        return "No covered states set; the temperatures map's station list is unchanged."
    listed = asyncio.run(_fetch_list(states))
    for reason in listed.skipped:
        logger.warning("NWS station list: skipped %s", reason)
    if not listed.stations:
        raise StationListError(f"the station list for {', '.join(states)} named no stations")
    removed = _store(listed, now)
    return (
        f"Station list for {', '.join(states)}: {len(listed.stations)} stations kept "
        f"({listed.pages} pages), {len(listed.skipped)} skipped as malformed, "
        f"{removed} no longer listed removed."
    )


async def _fetch_list(states: list[str]) -> StationList:
    listed = StationList()
    path, seen = state_stations_path(states), set()
    async with NwsClient() as nws:
        try:
            async with asyncio.timeout(LIST_DEADLINE.total_seconds()):
                while path and path not in seen and listed.pages < MAX_PAGES:
                    seen.add(path)
                    page = parse_station_page((await nws.get(path)).data)
                    listed.pages += 1
                    listed.skipped.extend(page.skipped)
                    if not page.stations:
                        break  # the last page: empty, though it may still name a `next`
                    for listed_station in page.stations:
                        listed.stations.setdefault(listed_station.station_id, listed_station)
                    path = page.next_path
        except (NwsError, NwsDataError) as exc:
            raise StationListError(f"{path}: {exc}") from exc
        except TimeoutError as exc:
            seconds = int(LIST_DEADLINE.total_seconds())
            raise StationListError(f"not all pages came within {seconds} s") from exc
    if path and path not in seen and listed.pages >= MAX_PAGES:
        raise StationListError(f"more than {MAX_PAGES} pages; the list was not replaced")
    return listed


@transaction.atomic
def _store(listed: StationList, now: datetime) -> int:
    for station in listed.stations.values():
        MapStation.objects.update_or_create(
            station_id=station.station_id,
            defaults={
                "name": station.name[:200],
                "state": station.state,
                "latitude": station.latitude,
                "longitude": station.longitude,
                "listed_at": now,
                "is_sample": False,
            },
        )
    removed, _ = MapStation.objects.exclude(station_id__in=list(listed.stations)).delete()
    return removed
