"""Template filters every desk shares."""

from django import template

from newscast.core import timefmt

register = template.Library()


@register.filter
def station_datetime(value):
    """{{ story.first_published_at|station_datetime }} -> "Jan 8, 2020 7:00 AM"."""
    return timefmt.station_datetime(value)


@register.filter
def station_date(value):
    """{{ value|station_date }} -> "Jan 8, 2020"."""
    return timefmt.station_date(value)
