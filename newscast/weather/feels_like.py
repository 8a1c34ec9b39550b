"""Feels-like temperature with the NWS formulas and thresholds.

Heat index: NOAA Weather Prediction Center, "The Heat Index Equation" (Rothfusz regression with
its two adjustments, the simple formula below 80 degF). Wind chill: the NWS formula in use since
November 2001, defined for air temperatures at or below 50 degF and winds above 3 mph.
All in degF and mph.
"""

from __future__ import annotations

import math

HEAT_INDEX_FROM_F = 80.0  # the NWS shows a heat index from 80 degF up
WIND_CHILL_UP_TO_F = 50.0
WIND_CHILL_ABOVE_MPH = 3.0


def heat_index_f(temp_f: float, humidity: float) -> float:
    """The NWS heat index (degF) for an air temperature (degF) and relative humidity (%)."""
    simple = 0.5 * (temp_f + 61.0 + (temp_f - 68.0) * 1.2 + humidity * 0.094)
    if simple < 80.0:
        return simple
    t, rh = temp_f, humidity
    index = (
        -42.379
        + 2.04901523 * t
        + 10.14333127 * rh
        - 0.22475541 * t * rh
        - 0.00683783 * t * t
        - 0.05481717 * rh * rh
        + 0.00122874 * t * t * rh
        + 0.00085282 * t * rh * rh
        - 0.00000199 * t * t * rh * rh
    )
    if rh < 13 and 80 <= t <= 112:
        index -= ((13 - rh) / 4) * math.sqrt((17 - abs(t - 95)) / 17)
    elif rh > 85 and 80 <= t <= 87:
        index += ((rh - 85) / 10) * ((87 - t) / 5)
    return index


def wind_chill_f(temp_f: float, wind_mph: float) -> float:
    """The NWS wind chill (degF) for an air temperature (degF) and a 10 m wind (mph)."""
    v016 = wind_mph**0.16
    return 35.74 + 0.6215 * temp_f - 35.75 * v016 + 0.4275 * temp_f * v016


def humidity_from_dewpoint(temp_f: float, dewpoint_f: float) -> float:
    """Relative humidity (%) by the Magnus formula with the coefficients NWS uses."""
    t = (temp_f - 32) * 5 / 9
    td = (dewpoint_f - 32) * 5 / 9
    return 100 * math.exp(17.625 * td / (243.04 + td)) / math.exp(17.625 * t / (243.04 + t))


def feels_like_f(
    temp_f: float | None,
    *,
    humidity: float | None = None,
    wind_mph: float | None = None,
    nws_heat_index_f: float | None = None,
    nws_wind_chill_f: float | None = None,
) -> float | None:
    """What the air feels like: wind chill when cold and windy, heat index when hot, else the
    air temperature. The NWS's own value is used whenever it sent one for a cold (<= 50 degF)
    or hot (>= 80 degF) reading, also when the report's wind speed is missing: the NWS had
    the wind when it computed it. Below 80 degF NWS still fills heatIndex (simple formula),
    which the thresholds ignore (docs/weather.md, "Feels like").
    """
    if temp_f is None:
        return None
    if temp_f <= WIND_CHILL_UP_TO_F and nws_wind_chill_f is not None:
        return nws_wind_chill_f
    if temp_f <= WIND_CHILL_UP_TO_F and wind_mph is not None and wind_mph > WIND_CHILL_ABOVE_MPH:
        return wind_chill_f(temp_f, wind_mph)
    if temp_f >= HEAT_INDEX_FROM_F:
        if nws_heat_index_f is not None:
            return nws_heat_index_f
        if humidity is not None:
            return heat_index_f(temp_f, humidity)
    return temp_f
