"""Weather test set-up: recorded NWS answers served by a real local HTTP server."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.cache import cache

RECORDED = Path(__file__).resolve().parent / "recorded"
SAMPLE = Path(__file__).resolve().parent.parent / "sample"
# The recorded Tupelo scenario: Wednesday 15 Oct 2025, 10:58 CDT.
SCENARIO_NOW = datetime(2025, 10, 15, 15, 58, tzinfo=UTC)
GEOJSON = "application/geo+json"
PROBLEM = "application/problem+json"

CITY_FILES = {
    # city folder: (points path, gridpoint path)
    "tupelo": ("/points/34.2576,-88.7034", "/gridpoints/MEG/92,29"),
    "columbus": ("/points/33.4957,-88.4273", "/gridpoints/JAN/140,114"),
    "oxford": ("/points/34.3665,-89.5192", "/gridpoints/MEG/62,34"),
    "starkville": ("/points/33.4504,-88.8184", "/gridpoints/JAN/125,112"),
}


def recorded_text(name: str) -> str:
    return (RECORDED / name).read_text()


def recorded(name: str):
    return json.loads(recorded_text(name))


def sample_text(city: str, name: str) -> str:
    return (SAMPLE / city / f"{name}.json").read_text()


def sample(city: str, name: str):
    return json.loads(sample_text(city, name))


def serve_city(server, city: str, *, observation: str | None = None, headers=None) -> None:
    """Answer one city's refresh from its recordings. The recorded report is served for its
    own station; stations listed before it answer 404 (no recent report), as NWS does."""
    points, grid = CITY_FILES[city]
    report = observation or sample_text(city, "observation_latest")
    station = json.loads(report)["properties"]["stationId"]
    for listed in sample(city, "stations")["features"]:
        nearer = listed["properties"]["stationIdentifier"]
        if nearer == station:
            break
        server.expect_request(f"/stations/{nearer}/observations/latest").respond_with_data(
            recorded_text("errors/404_not_found.json"), status=404, content_type=PROBLEM
        )
    respond = {"content_type": GEOJSON, "headers": headers or {}}
    server.expect_request(points).respond_with_data(sample_text(city, "points"), **respond)
    server.expect_request(f"{grid}/stations").respond_with_data(
        sample_text(city, "stations"), **respond
    )
    server.expect_request(f"{grid}/forecast").respond_with_data(
        sample_text(city, "forecast"), **respond
    )
    server.expect_request(f"{grid}/forecast/hourly").respond_with_data(
        sample_text(city, "forecast_hourly"), **respond
    )
    server.expect_request(f"/stations/{station}/observations/latest").respond_with_data(
        report, **respond
    )


@pytest.fixture
def nws(httpserver, settings):
    """The local replay server, set as NWS_BASE_URL and the radar host."""
    # 127.0.0.1, not "localhost": no IPv6 detour on every new connection.
    settings.NWS_BASE_URL = f"http://127.0.0.1:{httpserver.port}"
    settings.NWS_RADAR_BASE_URL = settings.NWS_BASE_URL
    settings.NWS_ENABLED = True
    settings.NWS_USER_AGENT = "NewscastTest/1.0 (weather-tests@example.com)"
    return httpserver


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()
