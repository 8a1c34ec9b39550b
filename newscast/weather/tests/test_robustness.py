"""No single bad answer stops the weather desk: a malformed field skips one item with a logged
reason, and every refresh ends within its deadline."""

from __future__ import annotations

import io
import json
import logging
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from newscast.weather.models import CityWeather
from newscast.weather.nws.parse import NwsDataError, parse_alerts, parse_forecast, parse_observation
from newscast.weather.services import weather_refresh
from newscast.weather.services.refresh import fetch as refresh_fetch

from .conftest import (
    GEOJSON,
    SCENARIO_NOW,
    recorded,
    recorded_text,
    sample,
    sample_text,
    serve_city,
)

pytestmark = pytest.mark.django_db


def _no_traceback(caplog) -> None:
    assert all(record.exc_info is None for record in caplog.records)


def test_malformed_alerts_are_skipped_one_by_one_with_a_reason(caplog):
    feed = recorded("alerts_active.json")
    no_sent, naive, bad_ugc = (f["properties"] for f in feed["features"][1:4])
    del no_sent["sent"]
    naive["expires"] = "2025-10-15T23:00:00"  # no offset: which time zone?
    bad_ugc["geocode"]["UGC"] = "MSC081"  # a string, not a list
    skipped: list[str] = []
    with caplog.at_level(logging.WARNING, logger="newscast.weather"):
        messages = parse_alerts(feed, skipped=skipped)
    assert [m.event for m in messages] == [feed["features"][0]["properties"]["event"]]
    assert len(skipped) == 3
    assert "'sent' is missing" in skipped[0]
    assert "without an offset" in skipped[1]
    assert "'UGC' is not a list" in skipped[2]
    assert all(no_sent["id"] in r.getMessage() for r in caplog.records[:1])
    _no_traceback(caplog)


def test_forecast_period_with_73F_is_skipped_the_rest_kept(caplog):
    forecast = sample("tupelo", "forecast")
    periods = forecast["properties"]["periods"]
    periods[1]["temperature"] = "73F"
    periods[2]["startTime"] = "2025-10-16T06:00:00"  # naive
    with caplog.at_level(logging.WARNING, logger="newscast.weather"):
        parsed = parse_forecast(forecast)
    assert len(parsed.periods) == len(periods) - 2
    assert periods[1]["name"] not in {p.name for p in parsed.periods}
    assert sum("skipped" in r.getMessage() for r in caplog.records) == 2
    _no_traceback(caplog)


def test_a_forecast_with_no_readable_period_is_refused():
    forecast = sample("tupelo", "forecast")
    for period in forecast["properties"]["periods"]:
        period["temperature"] = float("nan")
    with pytest.raises(NwsDataError, match="no forecast period"):
        parse_forecast(forecast)


@pytest.mark.parametrize(
    "field,value",
    [("temperature", float("nan")), ("windSpeed", float("inf")), ("relativeHumidity", "57")],
)
def test_observation_with_nan_or_a_string_is_a_data_error(field, value):
    observation = sample("tupelo", "observation_latest")
    observation["properties"][field]["value"] = value
    with pytest.raises(ValueError, match="not a (finite )?number"):
        parse_observation(observation)


def _only_tupelo(station):
    station.weather_cities.exclude(name="Tupelo").delete()


def test_refresh_with_a_nan_report_and_a_73F_period_stores_the_rest(station, nws, caplog):
    """Tupelo's station sends NaN (read as such by Python's JSON reader), the next station
    answers; one forecast period says "73F": the city gets a report and a forecast, and the
    command exits 0 saying the fallback in one line."""
    _only_tupelo(station)
    bad_report = sample_text("tupelo", "observation_latest").replace(
        '"value": 21.7', '"value": NaN', 1
    )
    assert "NaN" in bad_report
    forecast = sample("tupelo", "forecast")
    forecast["properties"]["periods"][3]["temperature"] = "73F"
    nws.expect_request("/gridpoints/MEG/92,29/forecast").respond_with_data(
        json.dumps(forecast), content_type=GEOJSON
    )
    serve_city(nws, "tupelo", observation=bad_report)
    nws.expect_request("/stations/KCBM/observations/latest").respond_with_json(
        sample("columbus", "observation_latest")
    )
    nws.expect_request("/ridge/standard/KGWX_loop.gif").respond_with_data(
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"
    )
    nws.expect_request("/alerts/active").respond_with_data(
        recorded_text("alerts_active_empty.json"), content_type=GEOJSON
    )
    out = io.StringIO()
    with caplog.at_level(logging.INFO), time_machine.travel(SCENARIO_NOW, tick=True):
        call_command("weather_refresh", "--force", stdout=out, stderr=io.StringIO())
    tupelo = CityWeather.objects.select_related("report").get()
    assert tupelo.report.station_id == "KCBM"
    assert len(tupelo.periods) == len(forecast["properties"]["periods"]) - 1
    assert "used a farther station (normal, not a problem): Tupelo, MS" in out.getvalue()
    assert "Weather refreshed." in out.getvalue()
    _no_traceback(caplog)


def test_refresh_ends_at_its_deadline_whatever_retry_after_says(station, nws, monkeypatch):
    """The hourly forecast answers 503 with Retry-After: 30 every time: the refresh stops at
    its deadline, keeps what came back (the report, the 12-hour forecast) and says why."""
    _only_tupelo(station)
    monkeypatch.setattr(refresh_fetch, "REFRESH_DEADLINE", timedelta(seconds=1.5))
    nws.expect_request("/gridpoints/MEG/92,29/forecast/hourly").respond_with_data(
        recorded("errors/503_unavailable_resource.json") and "{}",
        status=503,
        headers={"Retry-After": "30"},
    )
    serve_city(nws, "tupelo")
    started = time.monotonic()
    report = weather_refresh(now=SCENARIO_NOW)
    elapsed = time.monotonic() - started
    assert elapsed < 5  # not 30 s per retry
    assert any("1 s refresh deadline" in e for e in report.errors)
    tupelo = CityWeather.objects.select_related("report").get()
    assert tupelo.report is not None and tupelo.periods
    assert tupelo.hourly == []
