"""Fetch what the plans ask for from the NWS, concurrently: async, no database. Each city
collects its answers and problems in a CityResult for the storing half."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from newscast.weather.nws.client import NwsClient, NwsError
from newscast.weather.nws.parse import (
    NwsDataError,
    parse_forecast,
    parse_observation,
    parse_point,
    parse_stations,
)
from newscast.weather.nws.types import Forecast, Observation, Point, Station
from newscast.weather.nws.units import UnitError
from newscast.weather.nws.urls import latest_observation_path, points_path
from newscast.weather.services.common import logger
from newscast.weather.services.refresh.plan import (
    CLOCK_SKEW_ALLOWANCE,
    FORECAST_MAX_AGE,
    HOURLY_KEPT,
    OBSERVATION_MAX_AGE,
    STATIONS_TRIED,
    CityPlan,
)

# The whole refresh, retries and Retry-After waits included, ends within this (50 cities take
# about 10 s when the NWS answers); what came back by then is stored, the rest waits for the
# next run, ten minutes on. Each request has its own timeouts besides (nws.client.TIMEOUT).
REFRESH_DEADLINE = timedelta(seconds=90)

BAD_ANSWERS = (NwsError, NwsDataError, UnitError)


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
        error (stations report at different times)."""
        message = f"{self.plan.label}: used {used} ({'; '.join(skipped)})"
        logger.info("NWS refresh fallback - %s", message)
        self.fallbacks.append(message)


async def fetch_all(plans: list[CityPlan], map_stations: list[str], now: datetime):
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
        # A grid resolved again at the same addresses keeps its forecasts' cache lifetimes.
        kept = plan.point
        if plan.fetch_forecast or not kept or kept.forecast_path != point.forecast_path:
            tasks.append(_forecast(nws, result, point.forecast_path, "forecast", now))
        if plan.fetch_hourly or not kept or kept.hourly_path != point.hourly_path:
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
    kept = result.plan.point
    # If-Modified-Since only for the address it was learnt from (a re-grid has a new one).
    same = kept is not None and kept.forecast_path == path
    last_modified = result.plan.forecast_last_modified if kind == "forecast" and same else ""
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
