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
    edge_renew()


def edge_renew() -> None:
    """News pages kept at the edge show the weather too: renewed there if what they show is
    not what they showed (weather/edge.py: the banner on every page, conditions on the most
    read)."""
    from newscast.weather.edge import renew_if_shown_changed

    renew_if_shown_changed()
