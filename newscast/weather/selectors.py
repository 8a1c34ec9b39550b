"""Reads for the weather pages, widget and banner. Cheap by design: a fixed number of queries
whatever the number of cities, and the widget and banner come from the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q

from newscast.weather.alerts import is_banner_event, is_current, touches
from newscast.weather.models import AlertMessage, CityWeather, RadarLoop, StationReport
from newscast.weather.nws.types import ForecastPeriod
from newscast.weather.nws.units import whole
from newscast.weather.periods import HighLow, high_low, upcoming
from newscast.weather.services.common import BANNER_CACHE_KEY
from newscast.weather.services.refresh import OBSERVATION_MAX_AGE

BANNER_CACHE_SECONDS = 60
NEXT_HOURS = 12
# Alerts page order: the most dangerous first (after weather.gov's priority list).
EVENT_PRIORITY = [
    "Tsunami Warning",
    "Tornado Warning",
    "Extreme Wind Warning",
    "Severe Thunderstorm Warning",
    "Flash Flood Warning",
]
SEVERITY_ORDER = {"Extreme": 0, "Severe": 1, "Moderate": 2, "Minor": 3}


@dataclass
class CityNow:
    """What the weather block shows for one city."""

    name: str
    state: str
    condition: str = ""
    icon_symbol: str = ""
    temperature: int | None = None
    feels_like: int | None = None
    humidity: int | None = None
    wind: str = ""
    station_name: str = ""
    observed_at: datetime | None = None
    is_stale: bool = False
    high_low: HighLow | None = None
    forecast_fetched_at: datetime | None = None
    is_sample: bool = False
    periods: list[ForecastPeriod] = field(default_factory=list)
    hours: list[ForecastPeriod] = field(default_factory=list)


def _wind(report: StationReport) -> str:
    speed = whole(report.wind_mph)
    if speed is None:
        return ""
    if speed == 0:
        return "Calm"
    gust = whole(report.wind_gust_mph)
    text = f"{report.wind_direction} {speed} mph".strip()
    return f"{text}, gusts {gust} mph" if gust else text


def _city_weather_rows():
    return (
        CityWeather.objects.filter(city__station__site__is_default_site=True)
        .select_related("city", "report")
        .order_by("city__sort_order", "city__pk")
    )


def city_now(weather: CityWeather, now: datetime, *, with_forecast=False) -> CityNow:
    city = CityNow(name=weather.city.name, state=weather.city.state)
    report = weather.report
    if report:
        city.condition = report.condition
        city.icon_symbol = report.icon_symbol
        city.temperature = whole(report.temperature_f)
        city.feels_like = whole(report.feels_like_f)
        city.humidity = whole(report.humidity)
        city.wind = _wind(report)
        city.station_name = report.name
        city.observed_at = report.observed_at
        city.is_stale = now - report.observed_at > OBSERVATION_MAX_AGE
        city.is_sample = report.is_sample
    periods = [ForecastPeriod.from_stored(p) for p in weather.periods]
    city.high_low = high_low(periods, now)
    city.forecast_fetched_at = weather.forecast_fetched_at
    city.is_sample = city.is_sample or (weather.forecast_is_sample and bool(periods))
    if with_forecast:
        city.periods = upcoming(periods, now)
        hours = [ForecastPeriod.from_stored(p) for p in weather.hourly]
        city.hours = upcoming(hours, now)[:NEXT_HOURS]
    return city


def city_conditions(now: datetime, *, with_forecast=False) -> list[CityNow]:
    """Every weather city in the editors' order (one query; the widget caches its HTML)."""
    return [city_now(w, now, with_forecast=with_forecast) for w in _city_weather_rows()]


def covered_ugc() -> set[str]:
    """Counties and forecast zones of the weather cities, plus WEATHER_BANNER_UGC."""
    codes = set(settings.WEATHER_BANNER_UGC)
    for county, zone in CityWeather.objects.values_list("county", "forecast_zone"):
        codes.update(code for code in (county, zone) if code)
    return codes


def _in_force(now: datetime):
    return AlertMessage.objects.filter(in_force=True).filter(
        Q(finish__isnull=True) | Q(finish__gt=now)
    )


def alerts_version() -> tuple:
    """What moves whenever the alerts in force can change: a message arrives (count and
    newest first sighting) or is removed (count). One aggregate query, cheap enough for
    every page, so each web process sees a new or cancelled warning on its next page
    even without a shared cache. Ends are left to the clock."""
    figures = AlertMessage.objects.aggregate(count=Count("pk"), newest=Max("first_seen_at"))
    newest = figures["newest"]
    return (figures["count"], newest.timestamp() if newest else 0)


def banner_alerts(now: datetime) -> list[dict]:
    """Warnings in force that touch a covered county, most urgent first (cached under the
    alerts' version, so the cache never outlives a change)."""
    count, newest = alerts_version()
    key = f"{BANNER_CACHE_KEY}:{count}:{newest}"
    alerts = cache.get(key)
    if alerts is None:
        covered = covered_ugc()
        alerts = [
            {
                "event": a.event,
                "area_desc": a.areas_in_force,
                "finish": a.finish,
                "message_id": a.message_id,
                "is_sample": a.is_sample,
            }
            for a in _sorted(_in_force(now))
            if is_banner_event(a.event, a.severity)
            and touches(a.ugc_in_force, a.same_in_force, covered)
        ]
        cache.set(key, alerts, BANNER_CACHE_SECONDS)
    # Cached entries may have ended since; the clock decides without a query.
    return [a for a in alerts if is_current(a["finish"], now)]


def _priority(alert: AlertMessage):
    try:
        rank = EVENT_PRIORITY.index(alert.event)
    except ValueError:
        rank = len(EVENT_PRIORITY) + (0 if alert.event.endswith("Warning") else 1)
    return (rank, SEVERITY_ORDER.get(alert.severity, 4), -alert.sent.timestamp())


def _sorted(alerts) -> list[AlertMessage]:
    return sorted(alerts, key=_priority)


def alert_list_active(now: datetime) -> list[AlertMessage]:
    """Every alert in force for the covered states, the most dangerous first."""
    alerts = _sorted(_in_force(now))
    covered = covered_ugc()
    for alert in alerts:
        alert.touches_covered = touches(alert.ugc_in_force, alert.same_in_force, covered)
    return alerts


def last_alert_check() -> datetime | None:
    from newscast.core.jobs import last_success

    run = last_success("weather_alerts")
    return run.finished_at if run else None


def station_reports_for_map(now: datetime) -> tuple[list[StationReport], list[StationReport]]:
    """(current, stale) station reports with coordinates, for the temperatures map."""
    reports = StationReport.objects.exclude(latitude=None).exclude(longitude=None)
    current, stale = [], []
    for report in reports:
        (stale if now - report.observed_at > OBSERVATION_MAX_AGE else current).append(report)
    return current, stale


def radar_loop(site: str) -> RadarLoop | None:
    return RadarLoop.objects.defer("image").filter(site=site.upper()).first()
