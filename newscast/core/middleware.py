"""Request-wide behaviour shared by every desk."""

import zoneinfo

from django.core.cache import cache
from django.utils import timezone

from newscast.core.selectors import station_for_default_site

STATION_TZ_CACHE_KEY = "core:station-time-zone"
STATION_TZ_CACHE_SECONDS = 60


def station_time_zone_name() -> str:
    """The station's IANA time zone from its settings (cached briefly); '' if unset."""
    name = cache.get(STATION_TZ_CACHE_KEY)
    if name is None:
        station = station_for_default_site()
        name = station.time_zone if station else ""
        cache.set(STATION_TZ_CACHE_KEY, name, STATION_TZ_CACHE_SECONDS)
    return name


class StationTimeMiddleware:
    """Show every time in station time, as the station settings say (America/Chicago by default)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            timezone.activate(zoneinfo.ZoneInfo(station_time_zone_name()))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()  # a mistyped zone falls back to settings.TIME_ZONE
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
