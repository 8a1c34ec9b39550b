"""Parsing recorded NWS answers: units, nulls, icons, high/low after dark."""

from datetime import UTC, datetime

import pytest

from newscast.weather.nws import units
from newscast.weather.nws.icons import parse_icon
from newscast.weather.nws.parse import (
    NwsDataError,
    cache_expiry,
    parse_alerts,
    parse_forecast,
    parse_observation,
    parse_point,
    parse_stations,
)
from newscast.weather.nws.urls import points_path
from newscast.weather.periods import high_low

from .conftest import SCENARIO_NOW, recorded, sample


def test_point_keeps_paths_zones_and_radar():
    point = parse_point(sample("tupelo", "points"))
    assert (point.grid_id, point.grid_x, point.grid_y) == ("MEG", 92, 29)
    assert point.forecast_path == "/gridpoints/MEG/92,29/forecast"
    assert point.stations_path == "/gridpoints/MEG/92,29/stations"
    assert (point.county, point.forecast_zone, point.radar_station) == ("MSC081", "MSZ020", "KGWX")


def test_stations_nearest_first_with_coordinates():
    stations = parse_stations(sample("tupelo", "stations"))
    assert [s.station_id for s in stations][:3] == ["KTUP", "KCBM", "KCRX"]
    assert stations[0].name == "Tupelo Regional Airport"
    assert stations[0].latitude == pytest.approx(34.26806)


def test_tupelo_observation_matches_the_seed_block():
    obs = parse_observation(sample("tupelo", "observation_latest"))
    assert obs.station_id == "KTUP"
    assert obs.observed_at == datetime(2025, 10, 15, 15, 53, tzinfo=UTC)
    assert units.whole(obs.temperature_f) == 71
    assert obs.condition == "Overcast"  # icon "ovc", in the seed's words
    assert obs.icon_symbol == "cloudy"
    # NWS sent a simple-formula heatIndex of 71.56 degF; below 80 degF it does not apply.
    assert units.whole(obs.nws_heat_index_f) == 72
    assert units.whole(obs.feels_like_f) == 71
    assert units.whole(obs.wind_mph) == 8
    assert obs.wind_direction == "SSE"
    assert units.whole(obs.humidity) == 79


def test_heat_index_and_wind_chill_scenarios():
    hot = parse_observation(recorded("scenarios/observation_latest_heat_index.json"))
    assert units.whole(hot.temperature_f) == 95
    assert units.whole(hot.feels_like_f) == 107
    cold = parse_observation(recorded("scenarios/observation_latest_wind_chill.json"))
    assert units.whole(cold.temperature_f) == 21
    assert units.whole(cold.feels_like_f) == 8


def test_missing_temperature_is_none_not_zero():
    obs = parse_observation(recorded("scenarios/observation_latest_missing_temperature.json"))
    assert obs.temperature_f is None
    assert obs.feels_like_f is None
    assert obs.condition == ""
    assert obs.icon_symbol == ""


def test_implausible_temperature_counts_as_missing():
    obs = parse_observation(recorded("scenarios/observation_latest_implausible.json"))
    assert obs.temperature_f is None


def test_old_unit_prefix_and_metres_precipitation_2022():
    obs = parse_observation(recorded("observation_latest_KFLL_2022-03-02.json"))
    assert obs.station_id == "KFLL"
    assert 60 < obs.temperature_f < 90


def test_unknown_unit_raises():
    with pytest.raises(units.UnitError):
        units.fahrenheit({"unitCode": "wmoUnit:degRe", "value": 10})
    with pytest.raises(units.UnitError):
        units.mph({"unitCode": "wmoUnit:furlong_fortnight-1", "value": 10})


def test_rejected_quality_control_is_dropped():
    rejected = {"unitCode": "wmoUnit:degC", "value": 20, "qualityControl": "X"}
    assert units.fahrenheit(rejected) is None
    assert units.fahrenheit({"unitCode": "wmoUnit:degC", "value": 20, "qualityControl": "V"}) == 68


@pytest.mark.parametrize(
    "payload", [[], {"type": "Feature"}, {"properties": {"timestamp": "yesterday"}}]
)
def test_malformed_observation_is_a_data_error(payload):
    with pytest.raises(NwsDataError):
        parse_observation(payload)


def test_forecast_daytime_gives_today_high_then_tonight_low():
    forecast = parse_forecast(sample("tupelo", "forecast"))
    assert len(forecast.periods) == 14
    hilo = high_low(forecast.periods, SCENARIO_NOW)
    assert (hilo.high, hilo.low, hilo.after_dark) == (73, 68, False)


def test_forecast_evening_shows_tonight_low_and_tomorrow_high():
    forecast = parse_forecast(recorded("scenarios/forecast_evening_tonight_first.json"))
    first = forecast.periods[0]
    assert not first.is_daytime
    hilo = high_low(forecast.periods, first.start)
    assert hilo.after_dark
    assert hilo.low == first.temperature_f
    assert hilo.high == forecast.periods[1].temperature_f
    assert (hilo.low_label, hilo.high_label) == ("Lo tonight", "Hi tomorrow")


def test_forecast_overnight_labels_today_high():
    forecast = parse_forecast(recorded("scenarios/forecast_overnight_first.json"))
    first = forecast.periods[0]
    hilo = high_low(forecast.periods, first.start)
    assert (hilo.low_label, hilo.high_label) == ("Lo overnight", "Hi today")


def test_ended_periods_are_skipped():
    forecast = parse_forecast(sample("tupelo", "forecast"))
    later = forecast.periods[0].end  # the day period has just ended
    hilo = high_low(forecast.periods, later)
    assert hilo.after_dark and hilo.low == forecast.periods[1].temperature_f


def test_hourly_has_dewpoint_and_156_periods():
    hourly = parse_forecast(sample("tupelo", "forecast_hourly"))
    assert len(hourly.periods) == 156


def test_alerts_read_vtec_event_and_references():
    alerts = parse_alerts(recorded("alerts_active_update.json"))
    update = next(a for a in alerts if a.message_type == "Update")
    assert update.event_key == "KMEG.TO.W.0042"
    assert update.references and update.references[0].endswith(".001.1")
    sps = next(a for a in alerts if a.event == "Special Weather Statement")
    assert sps.ends is None and sps.finish == sps.expires


def test_empty_alert_feed_and_real_outbreak_feed():
    assert parse_alerts(recorded("alerts_active_empty.json")) == []
    outbreak = parse_alerts(recorded("alerts_active_area_OK_2025-04-19_2242CDT.json"))
    assert len(outbreak) == 29
    assert any(a.event == "Tornado Warning" for a in outbreak)


def test_icon_urls_relative_and_null():
    assert parse_icon("/icons/land/night/tsra,70?size=medium").code == "tsra"
    assert parse_icon("/icons/land/night/skc").symbol == "clear-night"
    assert parse_icon(None) is None


def test_points_path_rounds_to_four_decimals():
    assert points_path("34.25761", "-88.70344") == "/points/34.2576,-88.7034"


def test_cache_expiry_prefers_max_age_and_reads_expires():
    now = datetime(2025, 10, 15, 15, 41, 17, tzinfo=UTC)
    assert (cache_expiry({"Cache-Control": "public, max-age=883"}, now) - now).seconds == 883
    expires = cache_expiry({"Expires": "Wed, 15 Oct 2025 15:56:00 GMT"}, now)
    assert expires == datetime(2025, 10, 15, 15, 56, tzinfo=UTC)
    assert cache_expiry({}, now) is None


def test_station_hour_in_station_time():
    from django.utils import timezone as tz

    from newscast.weather.templatetags.weather_tags import station_hour

    with tz.override("America/Chicago"):
        assert station_hour(datetime(2025, 10, 16, 0, 0, tzinfo=UTC)) == "Wed 7 PM"
