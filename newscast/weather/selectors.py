"""Reads for the weather pages, widget and banner. Cheap by design: a fixed number of queries
whatever the number of cities, and the widget and banner come from the cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Max, Q

from newscast.core.models import JobRun
from newscast.core.selectors import station_for_default_site
from newscast.core.versioned_cache import versioned_get, versioned_set
from newscast.core.versions import version_for
from newscast.weather.alerts import is_banner_event, is_current, touches
from newscast.weather.models import AlertMessage, AlertsFeed, CityWeather, RadarLoop, StationReport
from newscast.weather.nws.types import ForecastPeriod
from newscast.weather.nws.units import whole
from newscast.weather.periods import HighLow, high_low, upcoming
from newscast.weather.services.common import BANNER_CACHE_KEY
from newscast.weather.services.refresh.plan import OBSERVATION_MAX_AGE

BANNER_CACHE_SECONDS = 60
NEXT_HOURS = 12
# Banner and alerts page order: CAP severity, the most dangerous first.
SEVERITY_ORDER = {"Extreme": 0, "Severe": 1, "Moderate": 2, "Minor": 3}
NWS_ID_PREFIX = "urn:oid:2.49.0.1.840.0."


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
    """Messages in force at `now`: the state machine's verdict, inside their own time span
    (effective until ends/expires) and not replaced (alerts.MessageRef.is_current)."""
    return AlertMessage.objects.filter(
        Q(in_force=True),
        Q(effective__isnull=True, sent__lte=now) | Q(effective__lte=now),
        Q(finish__isnull=True) | Q(finish__gt=now),
        Q(replaced_at__isnull=True) | Q(replaced_at__gt=now),
    )


# Read with the other desks' versions in the one query a page makes (core/versions.py):
# the count and the newest sighting and look-up, as one text.
ALERTS_VERSION_READ = (
    "SELECT COUNT(id) || ':' || COALESCE(CAST(MAX(first_seen_at) AS TEXT), '0')"
    " || ':' || COALESCE(CAST(MAX(looked_up_at) AS TEXT), '0')"
    ' FROM "weather_alertmessage"'
)


def alerts_version(request=None) -> str:
    """What moves whenever the alerts in force can change: a message arrives (count and
    newest first sighting) or is removed (count). Read once per request with the page's
    other versions, so each web process sees a new or cancelled warning on its next page
    even without a shared cache. Ends are left to the clock."""
    return str(version_for(request, "weather-alerts")).replace(" ", "T")  # a cache key part


def banner_alerts(now: datetime, request=None) -> list[dict]:
    """One entry per warning event in force that touches a covered county, by severity then
    time, each with the anchor of its own text on the alerts page (cached under the alerts'
    version, so the cache never outlives a change; read through this process's memory, as
    every page shows the banner and a shared-cache read for it cost a round trip on each)."""
    key = f"{BANNER_CACHE_KEY}:{alerts_version(request)}"
    alerts = versioned_get(key)
    if alerts is None:
        alerts = banner_alerts_uncached(now)
        versioned_set(key, alerts, BANNER_CACHE_SECONDS)
    # Cached entries may have ended, or not yet begun; the clock decides without a query.
    return [a for a in alerts if a["starts"] <= now and is_current(a["finish"], now)]


def banner_alerts_uncached(now: datetime) -> list[dict]:
    """The banner's entries at `now`, read from the stored alerts: for the edge's comparison
    (weather/edge.py), which runs at the worker's clock and must not fill the pages' cache."""
    covered = covered_ugc()
    alerts = []
    for alert in _one_per_event(_in_force(now)):
        if not is_banner_event(alert.event, alert.severity):
            continue
        if not touches(alert.ugc_in_force, alert.same_in_force, covered):
            continue
        alerts.append(
            {
                "event": alert.event,
                "area_desc": alert.areas_in_force,
                "finish": alert.finish,
                "message_id": alert.message_id,
                "anchor": alert_anchor(alert.message_id),
                "is_sample": alert.is_sample,
                "starts": alert.effective or alert.sent,
            }
        )
    return alerts


def alert_began_or_ended_between(since: datetime | None, until: datetime) -> bool:
    """Whether a message in force began, ended or was replaced by its own clock after `since`
    and by `until`: the banner can change then without a new message (True when `since` is
    not known)."""
    if since is None:
        return True
    return (
        AlertMessage.objects.filter(in_force=True)
        .filter(
            Q(effective__gt=since, effective__lte=until)
            | Q(effective__isnull=True, sent__gt=since, sent__lte=until)
            | Q(finish__gt=since, finish__lte=until)
            | Q(replaced_at__gt=since, replaced_at__lte=until)
        )
        .exists()
    )


def alert_anchor(message_id: str) -> str:
    """The stable page anchor of one message's text, made from its id (never its position):
    urn:oid:2.49.0.1.840.0.4056e25e....001.1 -> alert-4056e25e...-001-1."""
    tail = message_id.removeprefix(NWS_ID_PREFIX)
    return "alert-" + re.sub(r"[^A-Za-z0-9]+", "-", tail).strip("-").lower()


def _one_per_event(alerts) -> list[AlertMessage]:
    """The most dangerous first; of the messages of one VTEC event (segments of one product,
    say), the first stands for the event."""
    seen, kept = set(), []
    for alert in _sorted(alerts):
        if alert.event_key not in seen:
            seen.add(alert.event_key)
            kept.append(alert)
    return kept


def _priority(alert: AlertMessage):
    """The most severe first (CAP severity); of equal severity, the newest message first."""
    return (SEVERITY_ORDER.get(alert.severity, len(SEVERITY_ORDER)), -alert.sent.timestamp())


def _sorted(alerts) -> list[AlertMessage]:
    return sorted(alerts, key=_priority)


@dataclass
class AlertsInForce:
    """The alerts page: ours (touching a covered county or zone) and the rest of the states."""

    ours: list[AlertMessage]
    elsewhere: list[AlertMessage]

    @property
    def all(self) -> list[AlertMessage]:
        return self.ours + self.elsewhere


def alert_list_active(now: datetime) -> AlertsInForce:
    """Every alert in force for the covered states, the most dangerous first, split into
    ours and elsewhere; each carries its anchor."""
    covered = covered_ugc()
    ours, elsewhere = [], []
    for alert in _sorted(_in_force(now)):
        alert.anchor = alert_anchor(alert.message_id)
        alert.touches_covered = touches(alert.ugc_in_force, alert.same_in_force, covered)
        (ours if alert.touches_covered else elsewhere).append(alert)
    return AlertsInForce(ours, elsewhere)


def last_alert_check() -> datetime | None:
    """When the alerts feed last answered (a 304 counts: nothing had changed)."""
    return AlertsFeed.objects.exclude(polled_at=None).aggregate(last=Max("polled_at"))["last"]


def city_station_ids() -> list[str]:
    """The stations whose reports the weather cities show, in the cities' order (labelled
    first on the map)."""
    rows = CityWeather.objects.exclude(report=None).order_by("city__sort_order")
    return list(dict.fromkeys(rows.values_list("report__station_id", flat=True)))


def station_reports_for_map(now: datetime) -> tuple[list[StationReport], list[StationReport]]:
    """(current, stale) station reports with coordinates, for the temperatures map."""
    reports = StationReport.objects.exclude(latitude=None).exclude(longitude=None)
    current, stale = [], []
    for report in reports:
        (stale if now - report.observed_at > OBSERVATION_MAX_AGE else current).append(report)
    return current, stale


def radar_sites() -> list[tuple[str, list[str]]]:
    """The radar sites the radar page offers, each with the weather cities it covers: the
    station's own site first, then each city's radar from its /points answer."""
    station = station_for_default_site()
    sites: dict[str, list[str]] = {}
    default = (station.radar_site if station else "").strip().upper()
    if default:
        sites[default] = []
    for weather in _city_weather_rows():
        site = weather.radar_station.strip().upper()
        if site:
            sites.setdefault(site, []).append(weather.city.name)
    return list(sites.items())


def radar_loop(site: str) -> RadarLoop | None:
    return RadarLoop.objects.defer("image").filter(site=site.upper()).first()


def radar_loop_with_image(site: str) -> RadarLoop | None:
    """The site's last good loop with its image bytes (None before one arrived)."""
    return RadarLoop.objects.filter(site=site.upper()).exclude(image=None).first()


def city_weather_list() -> list[CityWeather]:
    """Every weather city's row with its current report, in the editors' order."""
    return list(CityWeather.objects.select_related("city", "report").order_by("city__sort_order"))


def job_last_runs(jobs) -> dict[str, JobRun | None]:
    """Each job's latest run (None if it never ran)."""
    return {job: JobRun.objects.filter(job=job).order_by("-started_at").first() for job in jobs}


def sample_alert_count() -> int:
    return AlertMessage.objects.filter(is_sample=True).count()
