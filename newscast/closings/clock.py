"""The station's date: statuses belong to a date in station time and expire when it ends."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from newscast.core.timefmt import station_zone

# How far ahead a status may be set: storms are forecast days out, never weeks.
MAX_DAYS_AHEAD = 7


def station_today(now: datetime | None = None) -> date:
    """Today's date in station time: a status for an earlier date has expired."""
    return (now or timezone.now()).astimezone(station_zone()).date()


def board_days(now: datetime | None = None) -> tuple[date, date]:
    """The two dates readers see: today and tomorrow, in station time."""
    today = station_today(now)
    return today, today + timedelta(days=1)
