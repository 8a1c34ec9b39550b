"""The demo's sample forecast names the real days: the recording's Wednesday is today."""

import io
from datetime import UTC, datetime

import pytest
import time_machine

from newscast.weather import demo
from newscast.weather.models import CityWeather

pytestmark = pytest.mark.django_db


def _period_names(station, now: datetime) -> list[str]:
    with time_machine.travel(now, tick=False):
        demo.load(io.StringIO())
    tupelo = CityWeather.objects.get(city__name="Tupelo", city__station=station)
    return [period["name"] for period in tupelo.periods]


@pytest.mark.parametrize(
    ("now", "names"),
    [
        # Saturday 10:58 CST: the recording's "Thursday" is tomorrow, a Sunday.
        (
            datetime(2026, 11, 28, 16, 58, tzinfo=UTC),
            ["Today", "Tonight", "Sunday", "Sunday Night", "Monday", "Monday Night"],
        ),
        # Saturday 21:30 CST is already Sunday in UTC; the station's day is what counts.
        (
            datetime(2026, 11, 29, 3, 30, tzinfo=UTC),
            ["Today", "Tonight", "Sunday", "Sunday Night", "Monday", "Monday Night"],
        ),
        # A Wednesday, like the recording: the names stay as recorded.
        (
            datetime(2026, 12, 2, 16, 58, tzinfo=UTC),
            ["Today", "Tonight", "Thursday", "Thursday Night", "Friday", "Friday Night"],
        ),
        # Tuesday 23:30 CST, late in the station's day (already Wednesday in UTC).
        (
            datetime(2026, 12, 2, 5, 30, tzinfo=UTC),
            ["Today", "Tonight", "Wednesday", "Wednesday Night", "Thursday", "Thursday Night"],
        ),
    ],
)
def test_sample_forecast_names_days_from_today(station, now, names):
    got = _period_names(station, now)
    assert got[:6] == names
    assert len(got) == 14
    assert got[-1] == f"{got[-2]} Night"


def test_every_weekday_name_follows_the_one_before(station):
    names = _period_names(station, datetime(2026, 11, 28, 16, 58, tzinfo=UTC))
    days = names[2::2]
    order = demo.WEEKDAYS
    for before, after in zip(days, days[1:], strict=False):
        assert order.index(after) == (order.index(before) + 1) % 7


def test_the_demo_has_sample_map_stations_and_a_drawn_radar_loop(station, client):
    from PIL import Image

    from newscast.weather.models import MapStation, RadarLoop, StationReport

    with time_machine.travel(datetime(2026, 11, 28, 16, 58, tzinfo=UTC), tick=False):
        demo.load(io.StringIO())
        temperatures = client.get("/weather/temperatures/").content.decode()
        radar = client.get("/weather/radar/").content.decode()
    assert MapStation.objects.filter(is_sample=True).count() == 36
    assert set(MapStation.objects.values_list("state", flat=True)) == {"MS", "AL"}
    assert StationReport.objects.filter(is_sample=True).count() == 36
    assert temperatures.count("<circle") == 36 and "Sample data" in temperatures
    loops = RadarLoop.objects.all()
    # The station's radar and each city's own (Oxford's is Memphis, KNQA).
    assert {loop.site for loop in loops} >= {"KGWX", "KNQA"}
    assert all(loop.is_sample for loop in loops)
    gif = Image.open(io.BytesIO(bytes(loops.get(site="KGWX").image)))
    assert gif.format == "GIF" and gif.n_frames == demo.RADAR_FRAMES
    assert "Sample loop drawn for the demo, not radar data" in radar
    assert client.get("/weather/radar/KGWX/loop.gif")["Content-Type"] == "image/gif"
