"""The station's date: statuses belong to a date in station time and expire when it ends."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

from newscast.core.middleware import station_time_zone_name

# How far ahead a status may be set: storms are forecast days out, never weeks.
MAX_DAYS_AHEAD = 7


def station_zone() -> ZoneInfo:
    """The station's time zone (settings.TIME_ZONE when the station's is unset or mistyped)."""
    try:
        return ZoneInfo(station_time_zone_name() or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def station_today(now: datetime | None = None) -> date:
    """Today's date in station time: a status for an earlier date has expired."""
    return (now or timezone.now()).astimezone(station_zone()).date()


def board_days(now: datetime | None = None) -> tuple[date, date]:
    """The two dates readers see: today and tomorrow, in station time."""
    today = station_today(now)
    return today, today + timedelta(days=1)
