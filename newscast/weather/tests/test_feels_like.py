"""Feels-like against MetPy's heat index and wind chill over a grid of conditions."""

import itertools

import pytest

from newscast.weather.feels_like import (
    feels_like_f,
    heat_index_f,
    humidity_from_dewpoint,
    wind_chill_f,
)

metpy_calc = pytest.importorskip("metpy.calc")
from metpy.units import units  # noqa: E402

TEMPS_HOT = range(80, 116, 3)
HUMIDITIES = [5, 10, 20, 35, 50, 65, 80, 90, 100]
TEMPS_COLD = range(-30, 50, 7)
WINDS = [4, 6, 10, 15, 25, 40, 60]


def metpy_heat_index(temp_f, humidity):
    value = metpy_calc.heat_index(
        temp_f * units.degF, humidity * units.percent, mask_undefined=False
    )
    return _scalar(value)


def _scalar(value) -> float:
    """MetPy answers a one-element array for scalar input."""
    magnitude = value.to("degF").magnitude
    return float(magnitude.reshape(-1)[0]) if hasattr(magnitude, "reshape") else float(magnitude)


def metpy_wind_chill(temp_f, mph):
    value = metpy_calc.windchill(temp_f * units.degF, mph * units.mph, mask_undefined=False)
    return float(value.to("degF").magnitude)


def _comparable(temp, humidity) -> bool:
    """Grid points where WPC and MetPy agree on the method: MetPy switches to the
    regression at a simple value of 79 degF (WPC: 80) and also adjusts simple values for very
    dry or humid air (WPC adjusts only the regression)."""
    simple = 0.5 * (temp + 61.0 + (temp - 68.0) * 1.2 + humidity * 0.094)
    return simple >= 80 or (simple < 79 and 13 <= humidity <= 85)


HOT_GRID = [(t, rh) for t, rh in itertools.product(TEMPS_HOT, HUMIDITIES) if _comparable(t, rh)]


def test_the_grid_is_mostly_comparable():
    assert len(HOT_GRID) >= 0.95 * len(TEMPS_HOT) * len(HUMIDITIES)


@pytest.mark.parametrize("temp,humidity", HOT_GRID)
def test_heat_index_matches_metpy(temp, humidity):
    expected = metpy_heat_index(temp, humidity)
    assert heat_index_f(temp, humidity) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("temp,wind", list(itertools.product(TEMPS_COLD, WINDS)))
def test_wind_chill_matches_metpy(temp, wind):
    # MetPy uses the metric form of the same formula; they agree within 0.1 degF.
    assert wind_chill_f(temp, wind) == pytest.approx(metpy_wind_chill(temp, wind), abs=0.1)


@pytest.mark.parametrize(
    "temp,humidity,wind",
    [(71, 79, 8), (95, 55, 5), (30, 70, 10), (60, 50, 20), (85, 90, 2), (45, 40, 2), (10, 60, 30)],
)
def test_feels_like_matches_metpy_apparent_temperature(temp, humidity, wind):
    expected = metpy_calc.apparent_temperature(
        temp * units.degF, humidity * units.percent, wind * units.mph, mask_undefined=False
    )
    expected = _scalar(expected)
    got = feels_like_f(temp, humidity=humidity, wind_mph=wind)
    assert got == pytest.approx(expected, abs=0.1)


def test_air_temperature_where_neither_applies():
    assert feels_like_f(71.06, humidity=79, wind_mph=8, nws_heat_index_f=71.56) == 71.06
    assert feels_like_f(50.5, humidity=40, wind_mph=30) == 50.5
    assert feels_like_f(40, humidity=40, wind_mph=3) == 40


def test_nws_values_used_when_the_threshold_holds():
    assert feels_like_f(95, humidity=53, wind_mph=5, nws_heat_index_f=107.2) == 107.2
    assert feels_like_f(21, humidity=60, wind_mph=15, nws_wind_chill_f=8.1) == 8.1


def test_humidity_from_dewpoint_like_nws():
    # KDDH: 24 degC / 15 degC -> 57.1505 %, the relativeHumidity the NWS gave for it
    assert humidity_from_dewpoint(75.2, 59.0) == pytest.approx(57.1505, abs=0.001)


def test_nws_wind_chill_used_when_the_wind_speed_is_null():
    """KMSP-style report: windChill filled but windSpeed null in our copy; the NWS had the
    wind when it computed it."""
    assert feels_like_f(21, humidity=60, wind_mph=None, nws_wind_chill_f=8.1) == 8.1
    assert feels_like_f(21, humidity=60, wind_mph=None) == 21  # nothing to compute from


def test_recorded_wind_chill_observation_uses_the_nws_value():
    from newscast.weather.nws.parse import parse_observation

    from .conftest import recorded

    data = recorded("observations_KMSP_limit1_2026-03-04_windchill.json")
    feature = data["features"][0] if "features" in data else data
    feature["properties"]["windSpeed"]["value"] = None
    observation = parse_observation(feature)
    assert observation.nws_wind_chill_f is not None
    assert observation.feels_like_f == observation.nws_wind_chill_f
