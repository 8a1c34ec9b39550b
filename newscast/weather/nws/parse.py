"""Pure functions from NWS JSON (already decoded) to our types. No I/O, no clock.

Malformed answers raise NwsDataError saying what was wrong, so the service can log it with
the city and endpoint and keep the last good data. Unknown units raise units.UnitError.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from newscast.weather.alerts import parse_vtec
from newscast.weather.feels_like import feels_like_f, humidity_from_dewpoint
from newscast.weather.nws import units
from newscast.weather.nws.icons import condition_words, parse_icon
from newscast.weather.nws.types import (
    AlertMessage,
    Forecast,
    ForecastPeriod,
    Observation,
    Point,
    Station,
)
from newscast.weather.nws.urls import api_path

logger = logging.getLogger("newscast.weather")


class NwsDataError(ValueError):
    """An NWS answer did not have the shape the API documents."""


def _properties(data) -> dict:
    if not isinstance(data, dict):
        raise NwsDataError(f"expected a JSON object, got {type(data).__name__}")
    props = data.get("properties")
    if not isinstance(props, dict):
        raise NwsDataError("the answer has no 'properties' object")
    return props


def _time(value) -> datetime | None:
    """An ISO 8601 time with its offset (NWS uses +00:00, local offsets, sometimes Z)."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise NwsDataError(f"unreadable time {value!r}") from exc
    if parsed.tzinfo is None:
        raise NwsDataError(f"time without an offset: {value!r}")
    return parsed


def _required(props: dict, key: str):
    value = props.get(key)
    if value in (None, ""):
        raise NwsDataError(f"'{key}' is missing")
    return value


def _zone_id(url: str | None) -> str:
    """MSZ020 from https://api.weather.gov/zones/forecast/MSZ020."""
    return (url or "").rstrip("/").rsplit("/", 1)[-1]


def parse_point(data) -> Point:
    """A /points answer -> the grid, zone, county and station-list address of a place."""
    props = _properties(data)
    return Point(
        grid_id=str(_required(props, "gridId")),
        grid_x=int(_required(props, "gridX")),
        grid_y=int(_required(props, "gridY")),
        forecast_path=api_path(_required(props, "forecast")),
        hourly_path=api_path(_required(props, "forecastHourly")),
        stations_path=api_path(_required(props, "observationStations")),
        forecast_zone=_zone_id(props.get("forecastZone")),
        county=_zone_id(props.get("county")),
        time_zone=props.get("timeZone") or "",
        radar_station=props.get("radarStation") or "",
    )


def _lon_lat(feature: dict) -> tuple[float | None, float | None]:
    geometry = feature.get("geometry") or {}
    coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
    if isinstance(coords, list) and len(coords) >= 2:
        return float(coords[0]), float(coords[1])
    return None, None


def parse_stations(data) -> list[Station]:
    """A gridpoint's observation stations, nearest first."""
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise NwsDataError("the station list has no 'features' array")
    stations = []
    for feature in data["features"]:
        props = feature.get("properties") or {}
        station_id = props.get("stationIdentifier")
        if not station_id:
            continue
        lon, lat = _lon_lat(feature)
        stations.append(Station(station_id, props.get("name") or station_id, lat, lon))
    return stations


@dataclass
class StationPage:
    """One page of /stations?state=...: its usable stations, the next page's path ("" at
    the end) and why any feature was skipped."""

    stations: list[Station]
    next_path: str
    skipped: list[str]


def parse_station_page(data) -> StationPage:
    """A page of the state station list. A feature without an id, a name or a usable point
    in the lower 48 is skipped with its reason; the rest of the page is kept."""
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise NwsDataError("the station list has no 'features' array")
    stations, skipped = [], []
    for index, feature in enumerate(data["features"]):
        try:
            stations.append(_listed_station(feature))
        except (NwsDataError, TypeError, ValueError, AttributeError) as exc:
            skipped.append(f"station #{index + 1}: {exc}")
    pagination = data.get("pagination")
    next_url = pagination.get("next") if isinstance(pagination, dict) else None
    return StationPage(stations, api_path(next_url) if isinstance(next_url, str) else "", skipped)


def _listed_station(feature) -> Station:
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        raise NwsDataError("no 'properties' object")
    station_id = props.get("stationIdentifier")
    if not isinstance(station_id, str) or not station_id.strip():
        raise NwsDataError("no 'stationIdentifier'")
    lon, lat = _lon_lat(feature)
    if lon is None or not (math.isfinite(lon) and math.isfinite(lat)):
        raise NwsDataError(f"{station_id}: no usable point")
    if not (-125.0 <= lon <= -66.0 and 24.0 <= lat <= 50.0):
        raise NwsDataError(f"{station_id}: point {lat},{lon} is outside the lower 48")
    name = props.get("name") if isinstance(props.get("name"), str) else ""
    county = _zone_id(props.get("county") if isinstance(props.get("county"), str) else "")
    return Station(station_id.strip().upper(), name.strip() or station_id, lat, lon, county[:2])


def parse_observation(data) -> Observation:
    """A /stations/{id}/observations/latest answer -> one converted report.

    A report without a temperature is still returned (temperature_f None); the service
    decides whether to try the next station. A malformed field raises NwsDataError.
    """
    try:
        return _observation(data)
    except (TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, NwsDataError | units.UnitError):
            raise
        raise NwsDataError(f"malformed observation: {exc}") from exc


def _observation(data) -> Observation:
    props = _properties(data)
    observed_at = _time(_required(props, "timestamp"))
    station_id = props.get("stationId") or _zone_id(props.get("station"))
    if not station_id:
        raise NwsDataError("the observation names no station")
    icon = parse_icon(props.get("icon"))
    temp = units.fahrenheit(props.get("temperature"))
    dewpoint = units.fahrenheit(props.get("dewpoint"))
    humidity = units.percent(props.get("relativeHumidity"))
    wind = units.mph(props.get("windSpeed"))
    heat_index = units.fahrenheit(props.get("heatIndex"))
    wind_chill = units.fahrenheit(props.get("windChill"))
    if humidity is None and temp is not None and dewpoint is not None:
        humidity = humidity_from_dewpoint(temp, dewpoint)
    lon, lat = _lon_lat(data)
    return Observation(
        station_id=station_id,
        station_name=props.get("stationName") or station_id,
        observed_at=observed_at,
        latitude=lat,
        longitude=lon,
        condition=condition_words(icon, props.get("textDescription")),
        icon_code=icon.code if icon else "",
        icon_symbol=icon.symbol if icon else "",
        is_daytime=icon.is_daytime if icon else None,
        temperature_f=temp,
        dewpoint_f=dewpoint,
        humidity=humidity,
        wind_mph=wind,
        wind_gust_mph=units.mph(props.get("windGust")),
        wind_direction=units.compass(units.degrees(props.get("windDirection"))),
        nws_heat_index_f=heat_index,
        nws_wind_chill_f=wind_chill,
        feels_like_f=feels_like_f(
            temp,
            humidity=humidity,
            wind_mph=wind,
            nws_heat_index_f=heat_index,
            nws_wind_chill_f=wind_chill,
        ),
    )


def _period_temperature(period: dict) -> int | None:
    value = period.get("temperature")
    if isinstance(value, dict):  # the forecast_temperature_qv feature flag
        converted = units.fahrenheit(value)
        return units.whole(converted)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise NwsDataError(f"temperature {value!r} is not a number")
    unit = period.get("temperatureUnit") or "F"
    if unit == "F":
        return int(value)
    if unit == "C":
        return units.whole(value * 9 / 5 + 32)
    raise units.UnitError(f"unknown forecast temperature unit {unit!r}")


def _period(period: dict) -> ForecastPeriod:
    icon = parse_icon(period.get("icon"))
    chance = units.raw_value(period.get("probabilityOfPrecipitation"))
    wind_speed = period.get("windSpeed")
    if isinstance(wind_speed, dict):
        wind_speed = f"{units.whole(units.mph(wind_speed))} mph" if wind_speed.get("value") else ""
    wind = " ".join(part for part in (period.get("windDirection"), wind_speed) if part)
    start, end = _time(_required(period, "startTime")), _time(_required(period, "endTime"))
    return ForecastPeriod(
        name=period.get("name") or "",
        start=start,
        end=end,
        is_daytime=bool(period.get("isDaytime")),
        temperature_f=_period_temperature(period),
        temperature_trend=period.get("temperatureTrend") or "",
        precipitation_chance=None if chance is None else int(chance),
        wind=wind,
        short_forecast=period.get("shortForecast") or "",
        detailed_forecast=period.get("detailedForecast") or "",
        icon_code=icon.code if icon else "",
        icon_symbol=icon.symbol if icon else "",
    )


def parse_forecast(data, *, max_periods: int | None = None) -> Forecast:
    """A 12-hour or hourly gridpoint forecast -> its periods in time order.

    `max_periods` keeps only the first ones (the hourly forecast has 156; pages use a day).
    A malformed period (a temperature of "73F", a time without offset) is left out with a
    logged reason; the forecast fails only when no period is left.
    """
    props = _properties(data)
    periods = props.get("periods")
    if not isinstance(periods, list) or not periods:
        raise NwsDataError("the forecast has no periods")
    periods = [p for p in periods if isinstance(p, dict) or _skip_period(p, "not an object")]
    periods = sorted(periods, key=lambda p: str(p.get("startTime")))[:max_periods]
    parsed = []
    for period in periods:
        try:
            parsed.append(_period(period))
        except (NwsDataError, units.UnitError, TypeError, ValueError) as exc:
            _skip_period(period, exc)
    if not parsed:
        raise NwsDataError("no forecast period could be read")
    return Forecast(
        generated_at=_time(props.get("generatedAt")),
        updated_at=_time(props.get("updateTime")),
        periods=sorted(parsed, key=lambda p: p.start),
    )


def _skip_period(period, reason) -> bool:
    name = period.get("name") or period.get("startTime") if isinstance(period, dict) else "?"
    logger.warning("NWS forecast problem - period %r skipped: %s", name, reason)
    return False


def _strings(value, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise NwsDataError(f"'{what}' is not a list of strings")
    return value


def _expired_references(parameters: dict) -> tuple[str, ...]:
    """Ids in `expiredReferences`: "sender,identifier,sent" strings, space-separated at times."""
    ids = []
    for entry in _strings(parameters.get("expiredReferences"), "expiredReferences"):
        for reference in entry.split():
            parts = reference.split(",")
            if len(parts) == 3 and parts[1]:
                ids.append(parts[1])
    return tuple(ids)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_alert(feature: dict) -> AlertMessage:
    """One alert Feature -> a message; raises NwsDataError saying which field is malformed."""
    props = _properties(feature)
    geocode = props.get("geocode") or {}
    parameters = props.get("parameters") or {}
    if not isinstance(geocode, dict) or not isinstance(parameters, dict):
        raise NwsDataError("'geocode' or 'parameters' is not an object")
    vtec = parse_vtec(_strings(parameters.get("VTEC"), "VTEC"))
    message_id = props.get("id")
    if not isinstance(message_id, str) or not message_id:
        raise NwsDataError("'id' is missing")
    references = props.get("references") or []
    if not isinstance(references, list):
        raise NwsDataError("'references' is not a list")
    return AlertMessage(
        message_id=message_id,
        event=_text(props.get("event")) or "Weather alert",
        event_key=vtec[0].event_key if vtec else message_id,
        message_type=_text(props.get("messageType")) or "Alert",
        status=_text(props.get("status")),
        severity=_text(props.get("severity")) or "Unknown",
        urgency=_text(props.get("urgency")) or "Unknown",
        certainty=_text(props.get("certainty")) or "Unknown",
        headline=_text(props.get("headline")),
        description=_text(props.get("description")),
        instruction=_text(props.get("instruction")),
        area_desc=_text(props.get("areaDesc")),
        ugc=_strings(geocode.get("UGC"), "UGC"),
        same=_strings(geocode.get("SAME"), "SAME"),
        references=[
            ref["identifier"]
            for ref in references
            if isinstance(ref, dict) and isinstance(ref.get("identifier"), str)
        ],
        sender_name=_text(props.get("senderName")),
        sent=_time(_required(props, "sent")),
        effective=_time(props.get("effective")),
        onset=_time(props.get("onset")),
        expires=_time(props.get("expires")),
        ends=_time(props.get("ends")),
        web=_text(props.get("web")),
        vtec=vtec,
        expired_references=_expired_references(parameters),
        replaced_at=_time(props.get("replacedAt")),
    )


def alert_id(feature) -> str:
    """The id of an alert Feature as far as it can be read, to name it in a log line."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    message_id = props.get("id") if isinstance(props, dict) else None
    return message_id if isinstance(message_id, str) else "(no id)"


def parse_alerts(data, *, skipped: list[str] | None = None) -> list[AlertMessage]:
    """An /alerts/active collection -> its messages. An empty feed is a valid answer.

    A malformed alert (no `sent`, a time without offset, a list that is not one) is left out
    with a logged reason, also added to `skipped`; every other alert of the answer is kept.
    """
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise NwsDataError("the alerts answer has no 'features' array")
    messages = []
    for feature in data["features"]:
        try:
            messages.append(parse_alert(feature))
        except (NwsDataError, TypeError, ValueError) as exc:
            reason = f"alert {alert_id(feature)} skipped: {exc}"
            logger.warning("NWS alerts problem - %s", reason)
            if skipped is not None:
                skipped.append(reason)
    return messages


def cache_expiry(headers, now: datetime) -> datetime | None:
    """When a 200 answer may be asked for again: Cache-Control max-age, else Expires.

    (Errors are never cached: NWS has sent day-long max-age on 404s.)
    """
    for directive in (headers.get("Cache-Control") or "").split(","):
        name, _, value = directive.strip().partition("=")
        if name.lower() == "max-age" and value.isdigit():
            return now + timedelta(seconds=int(value))
    expires = headers.get("Expires")
    if expires:
        try:
            parsed = parsedate_to_datetime(expires)
        except (TypeError, ValueError):
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None
