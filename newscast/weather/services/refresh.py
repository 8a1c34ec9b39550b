"""Refresh every weather city from the NWS: resolve its grid (daily), fetch the latest station
report and the forecasts concurrently, then store what came back and keep the rest.

The fetching half is async and touches no database; the storing half is plain Django, one
transaction per city, so a failure for one city never costs another its data.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newscast.core.selectors import station_for_default_site as station_settings
from newscast.weather.models import CityWeather, MapStation, StationReport
from newscast.weather.nws.client import NwsClient, NwsError
from newscast.weather.nws.parse import (
    NwsDataError,
    cache_expiry,
    parse_forecast,
    parse_observation,
    parse_point,
    parse_stations,
)
from newscast.weather.nws.types import Forecast, Observation, Point, Station
from newscast.weather.nws.units import UnitError
from newscast.weather.nws.urls import latest_observation_path, points_path
from newscast.weather.services.common import logger, pages_changed

# Freshness limits (FACTS 3.1, 5, 6, 9).
RESOLVE_MAX_AGE = timedelta(hours=24)  # /points answers expire after a day
OBSERVATION_MAX_AGE = timedelta(hours=2)  # older reports are stale, never "current"
STATIONS_TRIED = 3  # as weather.gov: the nearest three stations, in order
STATIONS_KEPT = 10
CLOCK_SKEW_ALLOWANCE = timedelta(minutes=10)  # a report from the future is not believed
FORECAST_MAX_AGE = timedelta(hours=24)  # an older generatedAt is a stale CDN copy
HOURLY_KEPT = 48
# The whole refresh, retries and Retry-After waits included, ends within this (50 cities take
# about 10 s when the NWS answers); what came back by then is stored, the rest waits for the
# next run, ten minutes on. Each request has its own timeouts besides (nws.client.TIMEOUT).
REFRESH_DEADLINE = timedelta(seconds=90)

BAD_ANSWERS = (NwsError, NwsDataError, UnitError)


@dataclass
class CityPlan:
    weather_id: int
    label: str
    latitude: object
    longitude: object
    resolve: bool
    point: Point | None
    station_ids: list[str]
    fetch_forecast: bool
    fetch_hourly: bool
    forecast_last_modified: str


@dataclass
class CityResult:
    plan: CityPlan
    point: Point | None = None
    stations: list[Station] | None = None
    forecast: tuple[Forecast, object] | None = None
    forecast_not_modified: object = None
    hourly: tuple[Forecast, object] | None = None
    reports: list[Observation] = field(default_factory=list)
    chosen: str = ""
    regrid: bool = False
    finished: bool = False
    errors: list[str] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)

    def fail(self, endpoint: str, problem) -> None:
        message = f"{self.plan.label}: {endpoint}: {problem}"
        logger.warning("NWS refresh problem - %s", message)
        self.errors.append(message)

    def fell_back(self, skipped: list[str], used: str) -> None:
        """Nearer stations without a usable report, then one that had it: normal, not an
        error (stations report at different times; FACTS 3.4)."""
        message = f"{self.plan.label}: used {used} ({'; '.join(skipped)})"
        logger.info("NWS refresh fallback - %s", message)
        self.fallbacks.append(message)


@dataclass
class RefreshReport:
    cities: int = 0
    reports_stored: int = 0
    forecasts_stored: int = 0
    errors: list[str] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)
    map_stations_skipped: int = 0

    def summary(self) -> str:
        text = (
            f"{self.cities} cities: {self.reports_stored} station reports and "
            f"{self.forecasts_stored} forecasts stored; {len(self.errors)} problems"
        )
        if self.map_stations_skipped:
            text += (
                f"; {self.map_stations_skipped} listed map stations had no usable report "
                "(skipped, see the log)"
            )
        lines = [text, *problems_grouped(self.errors)]
        if self.fallbacks:
            lines.append(
                f"{len(self.fallbacks)} cities used a farther station (normal, not a problem): "
                + ", ".join(f.split(": ", 1)[0] for f in self.fallbacks)
            )
        return "\n".join(lines)


ADDRESS = re.compile(r"https?://\S+ ")


def problems_grouped(errors: list[str]) -> list[str]:
    """One line per distinct reason, not one per request: an outage makes every city's every
    request fail the same way. "Tupelo: /points/..: could not reach api.weather.gov" for 16
    requests reads "16 requests (Tupelo, Oxford ...): could not reach api.weather.gov"."""
    by_reason: dict[str, list[str]] = {}
    for error in errors:
        parts = error.split(": ", 2)  # "{city}: {endpoint}: {reason}" (CityResult.fail)
        city, reason = (parts[0], parts[2]) if len(parts) == 3 else ("", error)
        # The address differs per request; the reason is what the desk needs to read.
        by_reason.setdefault(ADDRESS.sub("", reason), []).append(city)
    lines = []
    for reason, cities in by_reason.items():
        if len(cities) == 1:
            lines.append(next(e for e in errors if ADDRESS.sub("", e).endswith(reason)))
            continue
        names = "; ".join(dict.fromkeys(c for c in cities if c))
        lines.append(f"{len(cities)} requests ({names}): {reason}" if names else reason)
    return lines


def weather_refresh(*, force: bool = False, now: datetime | None = None) -> RefreshReport:
    """Refresh every weather city; `force` ignores the forecasts' cache lifetimes."""
    now = now or timezone.now()
    plans = _plans(now, force)
    chosen = [s.strip().upper() for s in settings.WEATHER_MAP_STATIONS if s.strip()]
    listed = list(MapStation.objects.values_list("station_id", flat=True))
    map_stations = list(dict.fromkeys([*chosen, *listed]))
    results, extras = (
        asyncio.run(_fetch_all(plans, map_stations, now)) if plans or map_stations else ([], [])
    )
    report = RefreshReport(cities=len(plans))
    for result in results:
        with transaction.atomic():
            _store(result, now, report)
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


def _plans(now: datetime, force: bool) -> list[CityPlan]:
    station = station_settings()
    if station is None:
        return []
    plans = []
    for city in station.weather_cities.all():
        weather, _ = CityWeather.objects.get_or_create(city=city)
        moved = (weather.resolved_latitude, weather.resolved_longitude) != (
            city.latitude,
            city.longitude,
        )
        resolve = (
            weather.resolved_at is None
            or now - weather.resolved_at > RESOLVE_MAX_AGE
            or moved
            or not weather.forecast_path
        )
        plans.append(
            CityPlan(
                weather_id=weather.pk,
                label=f"{city.name}, {city.state}",
                latitude=city.latitude,
                longitude=city.longitude,
                resolve=resolve,
                point=None if resolve else _stored_point(weather),
                station_ids=list(weather.station_ids),
                fetch_forecast=force or resolve or _expired(weather.forecast_expires_at, now),
                fetch_hourly=force or resolve or _expired(weather.hourly_expires_at, now),
                forecast_last_modified="" if force else weather.forecast_last_modified,
            )
        )
    return plans


def _expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is None or expires_at <= now


def _stored_point(weather: CityWeather) -> Point:
    return Point(
        grid_id=weather.grid_id,
        grid_x=weather.grid_x,
        grid_y=weather.grid_y,
        forecast_path=weather.forecast_path,
        hourly_path=weather.hourly_path,
        stations_path=weather.stations_path,
        forecast_zone=weather.forecast_zone,
        county=weather.county,
        time_zone=weather.time_zone,
        radar_station=weather.radar_station,
    )


# --- Fetching (async, no database) ---


async def _fetch_all(plans: list[CityPlan], map_stations: list[str], now: datetime):
    """Every city, and the extra stations of the temperatures map, at once; a station shared
    by several cities (or the map) is asked once. Stops at REFRESH_DEADLINE: each city keeps
    what had come back by then."""
    results = [CityResult(plan) for plan in plans]
    extras = [(None, f"map station {sid}: no answer before the deadline") for sid in map_stations]
    async with NwsClient() as nws:
        reports: dict[str, asyncio.Task] = {}

        async def map_report(index: int, station_id: str) -> None:
            extras[index] = await _map_report(nws, station_id, now, reports)

        try:
            async with asyncio.timeout(REFRESH_DEADLINE.total_seconds()):
                await asyncio.gather(
                    *(_fetch_city(nws, result, now, reports) for result in results),
                    *(map_report(i, sid) for i, sid in enumerate(map_stations)),
                )
        except TimeoutError:
            for result in results:
                if not result.finished:
                    result.fail("refresh", _deadline_reached())
            for task in reports.values():
                task.cancel()
    return results, extras


def _deadline_reached() -> str:
    seconds = int(REFRESH_DEADLINE.total_seconds())
    return f"not finished within the {seconds} s refresh deadline; what came back is kept"


async def _map_report(nws, station_id: str, now, reports) -> tuple[Observation | None, str]:
    """One extra station for the temperatures map: (report, "") or (None, the problem)."""
    path = latest_observation_path(station_id)
    if station_id not in reports:
        reports[station_id] = asyncio.ensure_future(_latest_report(nws, station_id))
    try:
        observation = await reports[station_id]
    except BAD_ANSWERS as exc:
        return None, f"map station {station_id}: {path}: {exc}"  # logged by the caller
    if observation.observed_at > now + CLOCK_SKEW_ALLOWANCE:
        return None, f"map station {station_id}: {path}: report time in the future (clock skew?)"
    return observation, ""


async def _fetch_city(nws, result: CityResult, now, reports) -> None:
    plan = result.plan
    point, station_ids = plan.point, plan.station_ids
    if plan.resolve:
        try:
            point = parse_point((await nws.get(points_path(plan.latitude, plan.longitude))).data)
            stations = parse_stations((await nws.get(point.stations_path)).data)
        except BAD_ANSWERS as exc:
            result.fail("/points", exc)
            if plan.point is None and not station_ids:
                result.finished = True
                return
        else:
            result.point, result.stations = point, stations
            station_ids = [station.station_id for station in stations]
    tasks = [_observations(nws, result, station_ids, now, reports)]
    if point is not None:
        if plan.fetch_forecast or result.point:
            tasks.append(_forecast(nws, result, point.forecast_path, "forecast", now))
        if plan.fetch_hourly or result.point:
            tasks.append(_forecast(nws, result, point.hourly_path, "hourly", now))
    await asyncio.gather(*tasks)
    result.finished = True


async def _observations(nws, result: CityResult, station_ids, now, reports) -> None:
    """The nearest station whose latest report has a temperature and is under 2 hours old.
    Nearer stations passed over are a fallback when a farther one answers, else errors."""
    skipped: list[str] = []
    for station_id in station_ids[:STATIONS_TRIED]:
        if station_id not in reports:
            reports[station_id] = asyncio.ensure_future(_latest_report(nws, station_id))
        try:
            observation = await reports[station_id]
        except BAD_ANSWERS as exc:
            skipped.append(f"{station_id}: {exc}")
            continue
        problem = _unusable(observation, now)
        if problem != "future":
            result.reports.append(observation)
        if problem:
            skipped.append(f"{station_id}: {_PROBLEMS.get(problem, problem)}")
            continue
        result.chosen = station_id
        if skipped:
            result.fell_back(skipped, station_id)
        return
    for problem in skipped:
        station_id, _, reason = problem.partition(": ")
        result.fail(f"/stations/{station_id}/observations/latest", reason)


_PROBLEMS = {
    "future": "report time is in the future (clock skew?); not used",
    "no temperature": "no temperature",
}


def _unusable(observation: Observation, now: datetime) -> str:
    """Why a station report cannot be the city's current conditions ("" when it can)."""
    if observation.observed_at > now + CLOCK_SKEW_ALLOWANCE:
        return "future"
    if observation.temperature_f is None:
        return "no temperature"
    if now - observation.observed_at > OBSERVATION_MAX_AGE:
        return f"stale report from {observation.observed_at.isoformat()}"
    return ""


async def _latest_report(nws, station_id: str) -> Observation:
    answer = await nws.get(latest_observation_path(station_id))
    return parse_observation(answer.data)


async def _forecast(nws, result: CityResult, path: str, kind: str, now) -> None:
    last_modified = result.plan.forecast_last_modified if kind == "forecast" else ""
    try:
        answer = await nws.get(path, if_modified_since=last_modified or None)
        if answer.status == 304:
            result.forecast_not_modified = answer.headers
            return
        # Hourly: a day of slack on top of what is kept, in case the copy starts in the past.
        limit = HOURLY_KEPT + 24 if kind == "hourly" else None
        forecast = await asyncio.to_thread(parse_forecast, answer.data, max_periods=limit)
    except BAD_ANSWERS as exc:
        # A gridpoint 404 means the office re-gridded: resolve the city again next time.
        result.regrid = result.regrid or getattr(exc, "status", None) == 404
        result.fail(path, exc)
        return
    problem = forecast_problem(forecast, now)
    if problem:
        result.fail(path, problem)
        return
    setattr(result, kind, (forecast, answer.headers))


def forecast_problem(forecast: Forecast, now: datetime) -> str:
    """Why a 200 forecast should not replace the last good one ("" when it is fine)."""
    if forecast.periods[-1].end <= now:
        return "every period has already ended (a stale cached copy)"
    if forecast.generated_at and now - forecast.generated_at > FORECAST_MAX_AGE:
        return f"generated {forecast.generated_at.isoformat()} (a stale cached copy)"
    return ""


# --- Storing (one transaction per city) ---


def _store(result: CityResult, now: datetime, report: RefreshReport) -> None:
    weather = CityWeather.objects.select_for_update().get(pk=result.plan.weather_id)
    if result.point:
        store_point(weather, result.point, result.plan.latitude, result.plan.longitude, now)
    if result.stations is not None:
        weather.station_ids = [s.station_id for s in result.stations][:STATIONS_KEPT]
    if result.regrid:
        weather.resolved_at = None
    stored = {}
    for observation in result.reports:
        saved = report_store(observation, now)
        if saved:
            stored[observation.station_id] = saved
    report.reports_stored += len(stored)
    if result.chosen in stored:
        weather.report = stored[result.chosen]
    elif stored:
        # Nothing fresh anywhere: show the newest report we have, which pages mark stale.
        candidates = [*stored.values(), *([weather.report] if weather.report else [])]
        weather.report = max(candidates, key=lambda r: r.observed_at)
    if result.forecast:
        store_forecast(weather, *result.forecast, now)
        report.forecasts_stored += 1
    elif result.forecast_not_modified is not None:
        weather.forecast_fetched_at = now
        weather.forecast_expires_at = cache_expiry(result.forecast_not_modified, now)
    if result.hourly:
        forecast, headers = result.hourly
        coming = [p for p in forecast.periods if p.end > now][:HOURLY_KEPT]
        weather.hourly = [p.as_stored() for p in coming]
        weather.hourly_fetched_at = now
        weather.hourly_expires_at = cache_expiry(headers, now)
    weather.last_error = "\n".join(result.errors)
    weather.last_error_at = now if result.errors else weather.last_error_at
    weather.save()


def store_point(weather: CityWeather, point: Point, latitude, longitude, now: datetime) -> None:
    """Keep a city's /points resolution (its grid, zones and station-list address)."""
    for name in (
        "grid_id",
        "grid_x",
        "grid_y",
        "forecast_path",
        "hourly_path",
        "stations_path",
        "forecast_zone",
        "county",
        "time_zone",
        "radar_station",
    ):
        setattr(weather, name, getattr(point, name))
    weather.resolved_latitude, weather.resolved_longitude = latitude, longitude
    weather.resolved_at = now


def store_forecast(weather: CityWeather, forecast: Forecast, headers, now: datetime) -> None:
    """Keep a 12-hour forecast with its cache lifetime and Last-Modified."""
    weather.periods = [period.as_stored() for period in forecast.periods]
    weather.forecast_generated_at = forecast.generated_at
    weather.forecast_fetched_at = now
    weather.forecast_expires_at = cache_expiry(headers, now)
    weather.forecast_last_modified = headers.get("Last-Modified", "")[:40]
    weather.forecast_is_sample = False


def report_store(
    observation: Observation, now: datetime, *, is_sample: bool = False
) -> StationReport | None:
    """Keep a station's report if it has a temperature and is not older than the one kept
    (/latest has answered with an older report than before, api#66)."""
    if observation.temperature_f is None:
        return None
    kept = StationReport.objects.filter(station_id=observation.station_id).first()
    if kept and kept.observed_at > observation.observed_at:
        return kept
    values = {
        "name": observation.station_name,
        "latitude": observation.latitude,
        "longitude": observation.longitude,
        "observed_at": observation.observed_at,
        "fetched_at": now,
        "condition": observation.condition,
        "icon_symbol": observation.icon_symbol,
        "is_daytime": observation.is_daytime,
        "temperature_f": observation.temperature_f,
        "dewpoint_f": observation.dewpoint_f,
        "humidity": observation.humidity,
        "wind_mph": observation.wind_mph,
        "wind_gust_mph": observation.wind_gust_mph,
        "wind_direction": observation.wind_direction,
        "feels_like_f": observation.feels_like_f,
        "is_sample": is_sample,
    }
    saved, _ = StationReport.objects.update_or_create(
        station_id=observation.station_id, defaults=values
    )
    return saved
