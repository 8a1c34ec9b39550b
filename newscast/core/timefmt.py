"""Times the way a newsroom prints them: "Jan 8, 2020 7:00 AM", in station time."""

from datetime import datetime

from django.utils import timezone


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
