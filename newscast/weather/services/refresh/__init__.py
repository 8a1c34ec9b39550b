"""Refresh every weather city from the NWS: plan what each city needs (`plan`), fetch it
concurrently (`fetch`), then store what came back and keep the rest (`store`)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newscast.weather.models import MapStation
from newscast.weather.services.common import logger, pages_changed
from newscast.weather.services.refresh.fetch import fetch_all
from newscast.weather.services.refresh.plan import city_plans
from newscast.weather.services.refresh.store import RefreshReport, city_store, report_store


def weather_refresh(*, force: bool = False, now: datetime | None = None) -> RefreshReport:
    """Refresh every weather city; `force` ignores the forecasts' cache lifetimes."""
    now = now or timezone.now()
    plans = city_plans(now, force)
    chosen = [s.strip().upper() for s in settings.WEATHER_MAP_STATIONS if s.strip()]
    listed = list(MapStation.objects.values_list("station_id", flat=True))
    map_stations = list(dict.fromkeys([*chosen, *listed]))
    results, extras = (
        asyncio.run(fetch_all(plans, map_stations, now)) if plans or map_stations else ([], [])
    )
    report = RefreshReport(cities=len(plans))
    for result in results:
        with transaction.atomic():
            city_store(result, now, report)
        report.errors.extend(result.errors)
        report.fallbacks.extend(result.fallbacks)
    for station_id, (observation, problem) in zip(map_stations, extras, strict=True):
        if problem and station_id in chosen:
            logger.warning("NWS refresh problem - %s", problem)
            report.errors.append(problem)
        elif problem:
            # A listed station without a usable report (many report hourly or go quiet for
            # days) is skipped, not an error: the map shows the others.
            logger.info("NWS refresh: map station skipped - %s", problem)
            report.map_stations_skipped += 1
        elif report_store(observation, now):
            report.reports_stored += 1
    pages_changed()
    return report
