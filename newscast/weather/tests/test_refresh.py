"""The real client and services against a local server replaying recorded NWS answers."""

import json
from datetime import timedelta

import pytest
from werkzeug import Response

from newscast.weather.models import CityWeather, StationReport
from newscast.weather.nws.parse import parse_forecast
from newscast.weather.services import weather_refresh
from newscast.weather.services.refresh.fetch import forecast_problem

from .conftest import CITY_FILES, GEOJSON, PROBLEM, SCENARIO_NOW, recorded_text, sample, serve_city

pytestmark = pytest.mark.django_db


def _only_tupelo(station):
    station.weather_cities.exclude(name="Tupelo").delete()


def test_refresh_four_cities_gives_the_seed_block(station, nws):
    for city in CITY_FILES:
        serve_city(nws, city)
    report = weather_refresh(now=SCENARIO_NOW)
    assert report.cities == 4 and report.forecasts_stored == 4
    rows = {w.city.name: w for w in CityWeather.objects.select_related("city", "report")}
    tupelo = rows["Tupelo"]
    assert (tupelo.grid_id, tupelo.county, tupelo.forecast_zone) == ("MEG", "MSC081", "MSZ020")
    assert tupelo.resolved_at == SCENARIO_NOW
    assert tupelo.report.station_id == "KTUP" and round(tupelo.report.temperature_f) == 71
    assert tupelo.forecast_expires_at is None or tupelo.forecast_expires_at > SCENARIO_NOW
    assert [round(rows[c].report.temperature_f) for c in ("Columbus", "Oxford", "Starkville")] == [
        71,
        68,
        68,
    ]
    # Columbus's nearest listed station has no recent report: the next is used. A normal
    # fallback, not an error: one line in the summary.
    assert report.errors == []
    assert [f.split(": ")[0] for f in report.fallbacks] == ["Columbus, MS"]
    assert "KGTR" in report.fallbacks[0]
    assert report.summary().splitlines()[1] == (
        "1 cities used a farther station (normal, not a problem): Columbus, MS"
    )


def test_requests_carry_user_agent_and_accept(station, nws):
    _only_tupelo(station)
    serve_city(nws, "tupelo")
    weather_refresh(now=SCENARIO_NOW)
    request, _ = nws.log[0]
    assert request.headers["User-Agent"] == "NewscastTest/1.0 (weather-tests@example.com)"
    assert request.headers["Accept"] == "application/geo+json"


def test_second_refresh_reuses_grid_and_honours_cache_lifetime(station, nws):
    _only_tupelo(station)
    headers = {"Cache-Control": "public, max-age=883, s-maxage=3600"}
    serve_city(nws, "tupelo", headers=headers)
    weather_refresh(now=SCENARIO_NOW)
    first = len(nws.log)
    weather_refresh(now=SCENARIO_NOW + timedelta(minutes=10))
    second = [req.path for req, _ in nws.log[first:]]
    # Grid resolved a day ago at most, forecasts still fresh: only the station report.
    assert second == ["/stations/KTUP/observations/latest"]


def test_a_due_grid_is_kept_while_a_few_cities_a_run_resolve_again(station, nws, monkeypatch):
    from newscast.weather.services.refresh import plan

    monkeypatch.setattr(plan, "RESOLVES_PER_RUN", 1)
    for city in CITY_FILES:
        serve_city(nws, city)
    weather_refresh(now=SCENARIO_NOW)

    def points_asked(when) -> list[str]:
        before = len(nws.log)
        weather_refresh(now=when)
        return [req.path for req, _ in nws.log[before:] if req.path.startswith("/points/")]

    # The first run of the next day: one city (the oldest) resolves, the others fetch their
    # reports and forecasts from the grid they kept, without waiting on /points.
    day_after = SCENARIO_NOW + plan.RESOLVE_MAX_AGE + timedelta(hours=1)
    assert len(points_asked(day_after)) == 1
    assert CityWeather.objects.filter(resolved_at=day_after).count() == 1
    assert CityWeather.objects.filter(resolved_at=SCENARIO_NOW).count() == 3
    # Ten minutes on, the next city takes its turn.
    assert len(points_asked(day_after + timedelta(minutes=10))) == 1
    assert CityWeather.objects.filter(resolved_at=SCENARIO_NOW).count() == 2
    # A grid older than METADATA_KEPT is not used at all: the two cities still on their first
    # grid resolve whatever the share per run, beside this run's one due city.
    assert len(points_asked(SCENARIO_NOW + plan.METADATA_KEPT + timedelta(hours=1))) == 3


def test_a_due_grid_resolved_at_the_same_addresses_keeps_its_forecasts(station, nws):
    _only_tupelo(station)
    headers = {"Cache-Control": "public, max-age=883, s-maxage=3600"}
    serve_city(nws, "tupelo", headers=headers)
    weather_refresh(now=SCENARIO_NOW)
    kept = CityWeather.objects.get()
    # A day on, the grid is due; its forecasts were fetched ten minutes ago and are fresh.
    later = SCENARIO_NOW + timedelta(days=1, minutes=10)
    CityWeather.objects.update(
        forecast_expires_at=later + timedelta(minutes=5),
        hourly_expires_at=later + timedelta(minutes=5),
    )
    before = len(nws.log)
    weather_refresh(now=later)
    # (The recorded report is a day old by then: the next stations are asked too.)
    asked = [req.path for req, _ in nws.log[before:] if not req.path.startswith("/stations/")]
    assert asked == ["/points/34.2576,-88.7034", "/gridpoints/MEG/92,29/stations"]
    weather = CityWeather.objects.get()
    assert weather.resolved_at == later and weather.periods == kept.periods


def test_a_run_that_asks_for_every_forecast_leaves_due_grids_to_a_lighter_run(
    station, nws, monkeypatch
):
    from newscast.weather.services.refresh import plan

    for city in CITY_FILES:
        serve_city(nws, city)
    weather_refresh(now=SCENARIO_NOW)
    # Four cities' reports and forecasts are 12 requests: no room left for a re-resolution.
    monkeypatch.setattr(plan, "RUN_REQUEST_ROOM", 12)

    def points_asked(when) -> int:
        before = len(nws.log)
        weather_refresh(now=when)
        return sum(req.path.startswith("/points/") for req, _ in nws.log[before:])

    day_after = SCENARIO_NOW + plan.RESOLVE_MAX_AGE + timedelta(hours=1)
    assert points_asked(day_after) == 0
    # The next run finds the forecasts fresh (4 requests): the due grids take the room.
    CityWeather.objects.update(
        forecast_expires_at=day_after + timedelta(hours=1),
        hourly_expires_at=day_after + timedelta(hours=1),
    )
    assert points_asked(day_after + timedelta(minutes=10)) == 4
    assert not CityWeather.objects.exclude(resolved_at=day_after + timedelta(minutes=10)).exists()


def test_outage_keeps_last_good_data_and_records_the_problem(station, nws):
    _only_tupelo(station)
    serve_city(nws, "tupelo")
    weather_refresh(now=SCENARIO_NOW)
    nws.clear()
    body = recorded_text("errors/503_unavailable_resource.json")
    nws.expect_request("/stations/KTUP/observations/latest").respond_with_data(
        body, status=503, content_type=PROBLEM
    )
    nws.expect_request("/stations/KCBM/observations/latest").respond_with_data(
        body, status=503, content_type=PROBLEM
    )
    nws.expect_request("/stations/KCRX/observations/latest").respond_with_data("", status=500)
    nws.expect_request("/gridpoints/MEG/92,29/forecast").respond_with_data(
        body, status=503, content_type=PROBLEM
    )
    report = weather_refresh(now=SCENARIO_NOW + timedelta(minutes=20), force=True)
    tupelo = CityWeather.objects.select_related("report").get()
    assert round(tupelo.report.temperature_f) == 71
    assert len(tupelo.periods) == 14
    assert "Tupelo, MS: /stations/KTUP/observations/latest" in tupelo.last_error
    assert "503" in tupelo.last_error
    assert any("/gridpoints/MEG/92,29/forecast" in error for error in report.errors)


def test_transient_500_is_retried(station, nws):
    _only_tupelo(station)
    answers = [
        Response(recorded_text("errors/500_unexpected_problem.json"), 500, content_type=PROBLEM),
        Response(recorded_text("errors/503_unavailable_resource.json"), 503, content_type=PROBLEM),
        Response(sample_text_tupelo_obs(), 200, content_type=GEOJSON),
    ]
    nws.expect_request("/stations/KTUP/observations/latest").respond_with_handler(
        lambda request: answers.pop(0)
    )
    serve_city(nws, "tupelo")
    report = weather_refresh(now=SCENARIO_NOW)
    assert StationReport.objects.get(station_id="KTUP").temperature_f is not None
    assert not answers and not report.errors


def test_stale_first_station_falls_back_to_the_next(station, nws):
    _only_tupelo(station)
    serve_city(nws, "tupelo", observation=recorded_text("scenarios/observation_latest_stale.json"))
    columbus_obs = sample("columbus", "observation_latest")
    nws.expect_request("/stations/KCBM/observations/latest").respond_with_json(columbus_obs)
    report = weather_refresh(now=SCENARIO_NOW)
    tupelo = CityWeather.objects.select_related("report").get()
    assert tupelo.report.station_id == "KCBM"
    assert any("stale report" in f for f in report.fallbacks) and not report.errors


def test_missing_station_and_empty_temperature_fall_back(station, nws):
    _only_tupelo(station)
    serve_city(
        nws,
        "tupelo",
        observation=recorded_text("scenarios/observation_latest_missing_temperature.json"),
    )
    nws.expect_request("/stations/KCBM/observations/latest").respond_with_data(
        recorded_text("errors/404_not_found.json"), status=404, content_type=PROBLEM
    )
    nws.expect_request("/stations/KCRX/observations/latest").respond_with_json(
        sample("starkville", "observation_latest")
    )
    weather_refresh(now=SCENARIO_NOW)
    assert CityWeather.objects.get().report.station_id == "KSTF"


def test_nothing_fresh_shows_newest_report_which_pages_mark_stale(station, nws):
    _only_tupelo(station)
    stale = recorded_text("scenarios/observation_latest_stale.json")
    serve_city(nws, "tupelo", observation=stale)
    for other in ("KCBM", "KCRX"):
        nws.expect_request(f"/stations/{other}/observations/latest").respond_with_data(
            "", status=404
        )
    weather_refresh(now=SCENARIO_NOW)
    report = CityWeather.objects.get().report
    assert report.station_id == "KTUP"
    assert SCENARIO_NOW - report.observed_at > timedelta(hours=2)


@pytest.mark.parametrize(
    "body,content_type",
    [
        ("not json at all", GEOJSON),
        ("[1, 2, 3]", GEOJSON),
        ("", GEOJSON),
        ('{"type": "Feature"}', GEOJSON),
    ],
)
def test_malformed_forecast_keeps_last_good(station, nws, body, content_type):
    _only_tupelo(station)
    serve_city(nws, "tupelo")
    weather_refresh(now=SCENARIO_NOW)
    nws.clear()
    nws.expect_request("/gridpoints/MEG/92,29/forecast").respond_with_data(
        body, content_type=content_type
    )
    nws.expect_request("/stations/KTUP/observations/latest").respond_with_json(
        sample("tupelo", "observation_latest")
    )
    nws.expect_request("/gridpoints/MEG/92,29/forecast/hourly").respond_with_json(
        sample("tupelo", "forecast_hourly")
    )
    report = weather_refresh(now=SCENARIO_NOW + timedelta(minutes=10), force=True)
    assert len(CityWeather.objects.get().periods) == 14
    assert any("/gridpoints/MEG/92,29/forecast:" in e for e in report.errors)


def test_clock_skew_report_from_the_future_is_not_used(station, nws):
    _only_tupelo(station)
    future = json.loads(
        sample("tupelo", "observation_latest")
        and recorded_text("scenarios/observation_latest_heat_index.json")
    )
    future["properties"]["timestamp"] = "2025-10-15T18:53:00+00:00"
    serve_city(nws, "tupelo", observation=json.dumps(future))
    nws.expect_request("/stations/KCBM/observations/latest").respond_with_json(
        sample("columbus", "observation_latest")
    )
    report = weather_refresh(now=SCENARIO_NOW)
    assert CityWeather.objects.get().report.station_id == "KCBM"
    assert any("clock skew" in f for f in report.fallbacks) and not report.errors


def test_gridpoint_404_resolves_the_city_again_next_time(station, nws):
    _only_tupelo(station)
    serve_city(nws, "tupelo")
    weather_refresh(now=SCENARIO_NOW)
    nws.clear()
    nws.expect_request("/gridpoints/MEG/92,29/forecast").respond_with_data(
        recorded_text("errors/404_not_found.json"), status=404, content_type=PROBLEM
    )
    serve_city(nws, "tupelo")
    weather_refresh(now=SCENARIO_NOW + timedelta(minutes=10), force=True)
    assert CityWeather.objects.get().resolved_at is None


def test_slow_answers_still_finish(station, nws):
    import time

    _only_tupelo(station)

    def slow(request):
        time.sleep(0.3)
        return Response(sample_text_tupelo_obs(), content_type=GEOJSON)

    nws.expect_request("/stations/KTUP/observations/latest").respond_with_handler(slow)
    serve_city(nws, "tupelo")
    weather_refresh(now=SCENARIO_NOW)
    assert CityWeather.objects.get().report is not None


def sample_text_tupelo_obs():
    return json.dumps(sample("tupelo", "observation_latest"))


def test_stale_cdn_forecast_is_refused():
    forecast = parse_forecast(sample("tupelo", "forecast"))
    assert forecast_problem(forecast, SCENARIO_NOW) == ""
    assert "stale" in forecast_problem(forecast, SCENARIO_NOW + timedelta(days=10))


def test_expired_forecast_is_revalidated_with_if_modified_since(station, nws):
    _only_tupelo(station)
    last_modified = "Wed, 15 Oct 2025 14:52:30 GMT"
    headers = {"Cache-Control": "public, max-age=300", "Last-Modified": last_modified}
    serve_city(nws, "tupelo", headers=headers)
    weather_refresh(now=SCENARIO_NOW)
    nws.clear()
    nws.expect_request(
        "/gridpoints/MEG/92,29/forecast", headers={"If-Modified-Since": last_modified}
    ).respond_with_data("", status=304, headers={"Cache-Control": "public, max-age=600"})
    serve_city(nws, "tupelo", headers=headers)
    later = SCENARIO_NOW + timedelta(minutes=10)
    report = weather_refresh(now=later)
    tupelo = CityWeather.objects.get()
    assert not report.errors and report.forecasts_stored == 0
    assert len(tupelo.periods) == 14 and tupelo.forecast_fetched_at == later
    assert tupelo.forecast_expires_at == later + timedelta(seconds=600)


def test_rate_limited_429_waits_for_retry_after(station, nws):
    _only_tupelo(station)
    answers = [
        Response("<html>Too Many Requests</html>", 429, headers={"Retry-After": "1"}),
        Response(sample_text_tupelo_obs(), 200, content_type=GEOJSON),
    ]
    nws.expect_request("/stations/KTUP/observations/latest").respond_with_handler(
        lambda request: answers.pop(0)
    )
    serve_city(nws, "tupelo")
    report = weather_refresh(now=SCENARIO_NOW)
    assert not answers and not report.errors


def test_moved_city_is_resolved_again(station, nws):
    _only_tupelo(station)
    serve_city(nws, "tupelo")
    weather_refresh(now=SCENARIO_NOW)
    city = station.weather_cities.get()
    city.latitude = "34.2600"
    city.save()
    nws.expect_request("/points/34.26,-88.7034").respond_with_json(sample("tupelo", "points"))
    weather_refresh(now=SCENARIO_NOW + timedelta(minutes=10))
    paths = [request.path for request, _ in nws.log]
    assert "/points/34.26,-88.7034" in paths
    assert str(CityWeather.objects.get().resolved_latitude) == "34.2600"


def test_403_names_the_user_agent_setting(station, nws):
    _only_tupelo(station)
    nws.expect_request("/points/34.2576,-88.7034").respond_with_data(
        recorded_text("errors/403_access_denied.html"), status=403, content_type="text/html"
    )
    report = weather_refresh(now=SCENARIO_NOW)
    assert any("NWS_USER_AGENT" in error for error in report.errors)


def test_extra_map_stations_are_fetched_once_and_kept(station, nws, settings):
    _only_tupelo(station)
    settings.WEATHER_MAP_STATIONS = ["KTUP", "kcbm", "KXYZ"]
    serve_city(nws, "tupelo")
    nws.expect_request("/stations/KCBM/observations/latest").respond_with_json(
        sample("columbus", "observation_latest")
    )
    nws.expect_request("/stations/KXYZ/observations/latest").respond_with_data(
        recorded_text("errors/404_not_found.json"), status=404, content_type=PROBLEM
    )
    report = weather_refresh(now=SCENARIO_NOW)
    assert set(StationReport.objects.values_list("station_id", flat=True)) == {"KTUP", "KCBM"}
    paths = [request.path for request, _ in nws.log]
    assert paths.count("/stations/KTUP/observations/latest") == 1  # shared with Tupelo
    assert [e.split(": ")[0] for e in report.errors] == ["map station KXYZ"]
