"""`{% weather_widget %}` (the sidebar weather block), `{% weather_strip %}` (the compact
strip phones see before the story list) and `{% weather_alert_banner %}` (the site-wide
warning banner). Both read the cache or a couple of queries, never the NWS, and never
raise: a broken weather block must not take a story page down with it.
"""

import logging

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from newscast.core.timefmt import station_datetime
from newscast.weather import selectors
from newscast.weather.services.common import STRIP_CACHE_KEY, WIDGET_CACHE_KEY

# The block is the same for every reader; a refresh drops it at once (services.common).
WIDGET_CACHE_SECONDS = 60

register = template.Library()
logger = logging.getLogger("newscast.weather")


@register.simple_tag
def weather_widget():
    try:
        html = cache.get(WIDGET_CACHE_KEY)
        if html is None:
            cities = selectors.city_conditions(timezone.now())
            html = render_to_string("weather/includes/widget.html", _widget_context(cities))
            cache.set(WIDGET_CACHE_KEY, html, WIDGET_CACHE_SECONDS)
        return html
    except Exception:
        logger.exception("The weather widget could not be drawn")
        return ""


@register.simple_tag
def weather_strip():
    """One line per city (temperature, condition) and the time of the newest report: the
    last good data, marked when it is not current. Hidden where the sidebar sits beside the
    stories (weather.css)."""
    try:
        html = cache.get(STRIP_CACHE_KEY)
        if html is None:
            cities = selectors.city_conditions(timezone.now())
            html = render_to_string("weather/includes/strip.html", _strip_context(cities))
            cache.set(STRIP_CACHE_KEY, html, WIDGET_CACHE_SECONDS)
        return html
    except Exception:
        logger.exception("The weather strip could not be drawn")
        return ""


def _strip_context(cities):
    observed = [city.observed_at for city in cities if city.observed_at]
    return {**_widget_context(cities), "observed_at": max(observed, default=None)}


@register.simple_tag(takes_context=True)
def weather_alert_banner(context):
    try:
        alerts = selectors.banner_alerts(timezone.now(), context.get("request"))
        if not alerts:
            return ""
        return render_to_string(
            "weather/includes/alert_banner.html",
            {"alerts": alerts},
            request=context.get("request"),
        )
    except Exception:
        logger.exception("The weather alert banner could not be drawn")
        return ""


@register.inclusion_tag("weather/includes/icon.html")
def weather_icon(symbol, label="", size=32):
    """Our own condition symbol (never a hot-linked NWS icon)."""
    return {"symbol": symbol or "cloudy", "label": label, "size": size}


@register.filter
def degrees(value):
    """71 -> "71°"; None -> "—"."""
    return "—" if value is None else f"{value}°"


def _widget_context(cities):
    return {"cities": cities, "is_sample": any(city.is_sample for city in cities)}


@register.filter
def alert_paragraphs(text):
    """NWS alert text has hard line breaks at ~70 characters and blank lines between
    paragraphs: keep the paragraphs, unwrap the lines (escaping is left to the template)."""
    if not text:
        return []
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block]


@register.filter
def observed_time(value):
    """When a report was observed, in station time, as the conditions block states it:
    "12:53 PM" today, "Nov 28, 2026 11:53 PM" on another day. Written out in words and
    digits a screen reader reads as it is (no "12:53p" or 24-hour clock); the <time> element
    around it carries the exact moment."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if local.date() != timezone.localdate():
        return station_datetime(value)
    return f"{local.hour % 12 or 12}:{local:%M} {local:%p}"


@register.filter
def station_hour(value):
    """An hour of the hourly forecast in station time: "Tue 7 PM"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%a} {local.hour % 12 or 12} {local:%p}"
