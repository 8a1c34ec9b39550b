"""Shared pieces of the weather services: the station's settings and the page caches."""

from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger("newscast.weather")

# The widget and banner are cached; a refresh drops them so the next page shows new data.
WIDGET_CACHE_KEY = "weather:widget:v1"
BANNER_CACHE_KEY = "weather:banner:v1"


def station_settings():
    """The default site's StationSettings (jobs run without a request)."""
    from wagtail.models import Site

    from newscast.home.models import StationSettings

    site = Site.objects.filter(is_default_site=True).first()
    return StationSettings.for_site(site) if site else None


def pages_changed() -> None:
    cache.delete_many([WIDGET_CACHE_KEY, BANNER_CACHE_KEY])
