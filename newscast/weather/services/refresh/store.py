"""Store what a refresh fetched: one transaction per city, so a failure for one city never
costs another its data; what did not come back keeps its last good copy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from newscast.weather.models import CityWeather, StationReport
from newscast.weather.nws.parse import cache_expiry
from newscast.weather.nws.types import Forecast, Observation, Point
from newscast.weather.services.refresh.fetch import CityResult
from newscast.weather.services.refresh.plan import HOURLY_KEPT, STATIONS_KEPT


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


def city_store(result: CityResult, now: datetime, report: RefreshReport) -> None:
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
