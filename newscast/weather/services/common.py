"""Shared pieces of the weather services: the station's settings and the page caches."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

logger = logging.getLogger("newscast.weather")

# The widget, strip and banner are cached; a refresh drops the widget and strip so the next
# page shows new data. The banner's key also holds the alerts' version
# (selectors.alerts_version), so every process sees a change on its next page even without a
# shared cache.
WIDGET_CACHE_KEY = "weather:widget:v1"
STRIP_CACHE_KEY = "weather:strip:v1"
BANNER_CACHE_KEY = "weather:banner:v1"


def station_settings():
    """The default site's StationSettings (jobs run without a request)."""
    from wagtail.models import Site

    from newscast.home.models import StationSettings

    site = Site.objects.filter(is_default_site=True).first()
    return StationSettings.for_site(site) if site else None


def pages_changed() -> None:
    cache.delete_many([WIDGET_CACHE_KEY, STRIP_CACHE_KEY, BANNER_CACHE_KEY])


def is_database_locked(exc: Exception) -> bool:
    """SQLite's "database is locked": another writer (the worker) held the file too long."""
    return isinstance(exc, OperationalError) and "locked" in str(exc).lower()


class LockAwareCommand(BaseCommand):
    """A command that, on SQLite's "database is locked", tries again a few times and then
    says so in one line and exits 1: never a raw traceback at the newsroom's terminal.
    `lock_retries` is 0 for commands that must not repeat their work (outside calls)."""

    lock_retries = 3
    lock_pause_seconds = 1.0

    def execute(self, *args, **options):
        for attempt in range(self.lock_retries + 1):
            try:
                return super().execute(*args, **options)
            except OperationalError as exc:
                if not is_database_locked(exc):
                    raise
                if attempt == self.lock_retries:
                    raise CommandError(
                        "The database is busy (locked by another process, such as the worker); "
                        "nothing was lost. Try again in a moment."
                    ) from exc
                time.sleep(self.lock_pause_seconds * (attempt + 1))
