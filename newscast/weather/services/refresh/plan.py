"""Plan a weather refresh: for each city, what to ask the NWS (resolve its grid again? which
stations? are the forecasts due?), read from what the database kept last time. No HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from newscast.core.selectors import station_for_default_site
from newscast.weather.models import CityWeather
from newscast.weather.nws.types import Point

# Freshness limits, from how the NWS API caches and updates its answers
# (https://www.weather.gov/documentation/services-web-api, "Cache" and each endpoint).
RESOLVE_MAX_AGE = timedelta(hours=24)  # /points answers expire after a day: resolve again
# A grid and station list change rarely (an office re-grids, a station opens or closes), so a
# due resolution need not hold up the city's report and forecasts: the stored one is used
# for up to METADATA_KEPT while RESOLVES_PER_RUN cities (oldest first) resolve again in each
# 10-minute run. The first run of a day is then as quick as any other. A gridpoint 404 (a
# re-grid), a moved city or a missing forecast address resolves at once.
METADATA_KEPT = timedelta(days=7)
RESOLVES_PER_RUN = 5
# A due re-resolution (two requests) only takes a run's spare room: a run that must ask for
# every forecast anyway (the first of a day) leaves them to the next, lighter run. At 10 in
# flight and 200 ms a request, 100 requests are 2 s.
RUN_REQUEST_ROOM = 100
OBSERVATION_MAX_AGE = timedelta(hours=2)  # older reports are stale, never "current"
STATIONS_TRIED = 3  # as weather.gov: the nearest three stations, in order
STATIONS_KEPT = 10
CLOCK_SKEW_ALLOWANCE = timedelta(minutes=10)  # a report from the future is not believed
FORECAST_MAX_AGE = timedelta(hours=24)  # an older generatedAt is a stale CDN copy
HOURLY_KEPT = 48


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


def city_plans(now: datetime, force: bool) -> list[CityPlan]:
    """One plan per city of the station; `force` fetches the forecasts whatever their age."""
    station = station_for_default_site()
    if station is None:
        return []
    cities = [
        (city, CityWeather.objects.get_or_create(city=city)[0])
        for city in station.weather_cities.all()
    ]
    needed, due = _resolutions_due(cities, now)
    plans = []
    for city, weather in cities:
        resolve = weather.pk in needed
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
    _resolve_in_spare_room(plans, due)
    return plans


def _resolutions_due(cities, now: datetime) -> tuple[set[int], list[int]]:
    """The CityWeather ids that cannot do without resolving in this run, and those whose
    stored grid is due but still usable, oldest first."""
    needed, due = set(), []
    for city, weather in cities:
        moved = (weather.resolved_latitude, weather.resolved_longitude) != (
            city.latitude,
            city.longitude,
        )
        if (
            weather.resolved_at is None
            or now - weather.resolved_at > METADATA_KEPT
            or moved
            or not weather.forecast_path
        ):
            needed.add(weather.pk)
        elif now - weather.resolved_at > RESOLVE_MAX_AGE:
            due.append((weather.resolved_at, weather.pk))
    return needed, [pk for _, pk in sorted(due)]


def _resolve_in_spare_room(plans: list[CityPlan], due: list[int]) -> None:
    """Mark up to RESOLVES_PER_RUN due cities to resolve again, while the run's requests stay
    within RUN_REQUEST_ROOM. Such a city keeps its stored grid meanwhile (and if /points
    fails), and its forecasts stay as they are unless the new grid has other addresses."""
    requests = sum(_requests(plan) for plan in plans)
    by_id = {plan.weather_id: plan for plan in plans}
    for weather_id in due[:RESOLVES_PER_RUN]:
        if requests + 2 > RUN_REQUEST_ROOM:
            return
        by_id[weather_id].resolve = True
        requests += 2


def _requests(plan: CityPlan) -> int:
    """What a plan asks the NWS at least: its report, its forecasts, /points and stations."""
    return 1 + 2 * plan.resolve + plan.fetch_forecast + plan.fetch_hourly


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
