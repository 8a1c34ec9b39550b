"""Times the way a newsroom prints them: "Jan 8, 2020 7:00 AM", in station time."""

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from newscast.core.middleware import station_time_zone_name


def station_zone() -> zoneinfo.ZoneInfo:
    """The station's time zone (its settings), else the server's TIME_ZONE. For code that
    runs outside a reader's request (commands, jobs), where no middleware activated it."""
    try:
        return zoneinfo.ZoneInfo(station_time_zone_name() or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def station_datetime(value: datetime | None) -> str:
    """Format an aware datetime in the active (station) time zone as "Jan 8, 2020 7:00 AM"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{local:%b} {local.day}, {local.year} {hour}:{local:%M} {local:%p}"


def station_date(value: datetime | None) -> str:
    """Format as "Jan 8, 2020" in station time."""
    if value is None:
        return ""
    local = timezone.localtime(value) if isinstance(value, datetime) else value
    return f"{local:%b} {local.day}, {local.year}"
