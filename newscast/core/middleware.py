"""Request-wide behaviour shared by every desk."""

import zoneinfo
from contextvars import ContextVar

from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

from newscast.core.selectors import site_for_request, station_for, station_for_default_site

STATION_TZ_CACHE_KEY = "core:station-time-zone"
STATION_TZ_CACHE_SECONDS = 60
# The zone StationTimeMiddleware found for the request being served: the closings board,
# the data desk's "today" and the time formats read it again and again within one page.
_request_zone_name: ContextVar[str | None] = ContextVar("request_zone_name", default=None)


def station_time_zone_name() -> str:
    """The station's IANA time zone from its settings; '' if unset. Within a request, the
    one its middleware found; elsewhere (commands, jobs) cached briefly."""
    name = _request_zone_name.get()
    if name is not None:
        return name
    name = cache.get(STATION_TZ_CACHE_KEY)
    if name is None:
        station = station_for_default_site()
        name = station.time_zone if station else ""
        cache.set(STATION_TZ_CACHE_KEY, name, STATION_TZ_CACHE_SECONDS)
    return name


class StationTimeMiddleware:
    """Show every time in station time, as the station settings say (America/Chicago by default).

    The request's site (and so its station settings, the time zone among them) is found
    here once per request, from the copy kept under the content version: a settings change
    shows on the next request in every process.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            site_for_request(request)
            station = station_for(request)
        except DatabaseError:
            # The database is away (a restart): the view still answers what it can (/healthz
            # says the database is down), in the server's zone.
            station = None
        name = station.time_zone if station else ""
        token = _request_zone_name.set(name)
        try:
            timezone.activate(zoneinfo.ZoneInfo(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()  # a mistyped zone falls back to settings.TIME_ZONE
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
            _request_zone_name.reset(token)
