"""While a warning for a covered county is in force, the banner links to the live stream."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from newscast.weather.models import CityWeather
from newscast.weather.nws.parse import parse_alerts
from newscast.weather.services import alerts_apply

from .conftest import recorded

pytestmark = pytest.mark.django_db

AT_ALERT = datetime(2025, 10, 16, 0, 50, tzinfo=UTC)  # a Tornado Warning for Lee County, MS


@pytest.fixture
def warning_in_force(station):
    city = station.weather_cities.get(name="Tupelo")
    CityWeather.objects.create(city=city, county="MSC081", forecast_zone="MSZ020")
    alerts_apply(parse_alerts(recorded("alerts_active.json")), now=AT_ALERT)


def test_banner_links_to_the_live_stream_during_a_warning(warning_in_force):
    with time_machine.travel(AT_ALERT, tick=False):
        html = Client().get("/corrections/").content.decode()

    assert "Tornado Warning" in html
    assert '<a href="/live/">Watch our live coverage of the warning</a>' in html


def test_no_live_link_without_a_stream_or_after_the_warning(station, warning_in_force):
    station.live_stream_url = ""
    station.save()
    with time_machine.travel(AT_ALERT, tick=False):
        html = Client().get("/corrections/").content.decode()
    assert "Tornado Warning" in html and "Watch our live coverage" not in html

    station.live_stream_url = "/static/video/sample/sample-clip.m3u8"
    station.save()
    with time_machine.travel(datetime(2025, 10, 17, 12, tzinfo=UTC), tick=False):
        assert "Watch our live coverage" not in Client().get("/corrections/").content.decode()
