"""Shared pieces of the weather services: their logger and the page caches."""

from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger("newscast.weather")

# The widget, strip and banner are cached; a refresh drops the widget and strip so the next
# page shows new data. The banner's key also holds the alerts' version
# (selectors.alerts_version), so every process sees a change on its next page even without a
# shared cache.
WIDGET_CACHE_KEY = "weather:widget:v1"
STRIP_CACHE_KEY = "weather:strip:v1"
BANNER_CACHE_KEY = "weather:banner:v1"


def pages_changed() -> None:
    cache.delete_many([WIDGET_CACHE_KEY, STRIP_CACHE_KEY, BANNER_CACHE_KEY])
    # News pages kept at the edge show the weather too (weather/edge.py).
    from newscast.weather.edge import purge_if_shown_changed

    purge_if_shown_changed()
