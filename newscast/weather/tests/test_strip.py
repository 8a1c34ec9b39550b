"""The compact weather strip phones see before the story list: cities, temperature, condition,
and the time of the last good report."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.template import Context, Template

from newscast.weather.models import CityWeather
from newscast.weather.services.common import pages_changed

from .test_pages import (
    SAMPLE_NOW,
    _text,
    sample_weather,  # noqa: F401 - the fixture, used by name
)

pytestmark = pytest.mark.django_db
in_sample_weather = pytest.mark.usefixtures("sample_weather")

STRIP = Template("{% load weather_tags %}{% weather_strip %}")


def _strip() -> str:
    return _text(STRIP.render(Context({})))


@in_sample_weather
def test_strip_lists_each_city_with_temperature_and_condition():
    with time_machine.travel(SAMPLE_NOW, tick=False):
        html = STRIP.render(Context({}))
    text = _text(html)

    for line in ("Tupelo 71° Overcast", "Columbus 71° Overcast", "Oxford 68° Overcast"):
        assert line in text
    assert "Sample data" in text
    assert "(as of" not in text  # every report is current
    reports = CityWeather.objects.values_list("report__observed_at", flat=True)
    newest = max(when for when in reports if when)
    shown = datetime.fromisoformat(re.search(r'<time datetime="([^"]+)"', html).group(1))
    assert shown == newest
    assert re.search(r"As of \w{3} \d{1,2}, \d{4} \d{1,2}:\d{2} [AP]M", text)


@in_sample_weather
def test_strip_keeps_the_last_good_report_and_says_how_old():
    with time_machine.travel(SAMPLE_NOW + timedelta(hours=6), tick=False):
        pages_changed()
        text = _strip()

    assert "Tupelo 71° Overcast (as of" in text  # last good data, marked not current


@in_sample_weather
def test_strip_is_one_query_then_cached(django_assert_num_queries):
    with django_assert_num_queries(1):
        STRIP.render(Context({}))
    with django_assert_num_queries(0):
        STRIP.render(Context({}))


def test_strip_without_weather_says_so(station):
    assert "Weather is not available right now." in _strip()


@in_sample_weather
def test_home_and_section_pages_put_the_strip_before_the_stories(client):
    from wagtail.models import Site

    from newscast.home.demo_newsroom import home_page_ensure
    from newscast.news.services import story_create
    from newscast.news.tests.conftest import section_add

    home = home_page_ensure(Site.objects.get(is_default_site=True))
    local = section_add(home, "Local", "local")
    story_create(local, title="Council keeps splash pads open", summary="A test story.")

    for path in ("/", "/local/"):
        html = client.get(path).content.decode()
        assert 'class="weather-strip"' in html, path
        assert html.index('class="weather-strip"') < html.index('class="story-card'), path
