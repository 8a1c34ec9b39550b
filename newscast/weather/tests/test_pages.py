"""Pages, the widget and the demo's sample data, including an NWS outage."""

import io
import zoneinfo
from datetime import UTC, datetime

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from newscast.core.models import JobRun
from newscast.weather import demo
from newscast.weather.models import CityWeather, RadarLoop, StationReport
from newscast.weather.services import radar_refresh

pytestmark = pytest.mark.django_db

# 10:58 CST on a Saturday, the recording's own time of day (see weather.demo.RECORDED_AT).
SAMPLE_NOW = datetime(2026, 11, 28, 16, 58, tzinfo=UTC)

WIDGET = Template("{% load weather_tags %}{% weather_widget %}")
# A 1 x 1 GIF, standing in for the RIDGE loop.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00"
    b"\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@pytest.fixture
def sample_weather(station):
    """The demo's sample weather, loaded with the clock at a fixed late morning in Tupelo.

    The demo shifts its recording to "now", so which period is "today" or "tonight" depends on
    the hour the test runs; a fixed (ticking) clock makes the outcome the same at any hour."""
    with time_machine.travel(SAMPLE_NOW, tick=True):
        out = io.StringIO()
        demo.load(out)
        assert "Tupelo, Columbus, Oxford, Starkville" in out.getvalue()
        yield station


def _text(html: str) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_widget_shows_the_seed_block_labelled_sample(sample_weather):
    text = _text(WIDGET.render(Context({})))
    assert "Sample data" in text
    assert "Tupelo Overcast 71° Hi: 73° Lo: 68° Feels Like: 71°" in text
    assert "Columbus Overcast 71° Hi: 73° Lo: 67° Feels Like: 71°" in text
    assert "Oxford Overcast 68° Hi: 77° Lo: 65° Feels Like: 68°" in text
    assert "Starkville Overcast 68° Hi: 71° Lo: 64° Feels Like: 68°" in text
    for link in ("Radar", "Temperatures", "Severe weather"):
        assert link in text


def test_widget_states_when_each_city_was_observed_in_station_time(
    sample_weather, client, settings
):
    """Pages kept at the edge show a block drawn earlier: each report says its own time, in
    the station's zone whatever the server's, as a screen reader reads it ("10:53 AM")."""
    settings.TIME_ZONE = "UTC"
    html = client.get(reverse("weather:index")).content.decode()
    widget = html[html.index('class="widget weather-widget"') :]
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    for name, observed in CityWeather.objects.values_list("city__name", "report__observed_at"):
        local = observed.astimezone(chicago)
        spoken = f"{local.hour % 12 or 12}:{local:%M} {local:%p}"
        assert f'As of <time datetime="{local.isoformat()}">{spoken}</time>' in widget, name
    assert _text(widget).count("As of") == 4


def test_widget_is_one_query_then_cached(sample_weather, django_assert_num_queries):
    with django_assert_num_queries(1):
        WIDGET.render(Context({}))
    with django_assert_num_queries(0):
        WIDGET.render(Context({}))


def test_demo_load_is_idempotent(sample_weather):
    out = io.StringIO()
    demo.load(out)
    assert out.getvalue() == ""
    # The four cities' recorded reports and the temperatures map's 32 other sample stations.
    assert StationReport.objects.count() == 36


def test_widget_never_raises_on_broken_data(sample_weather):
    CityWeather.objects.update(periods=[{"not": "a period"}])
    assert WIDGET.render(Context({})) == ""


@pytest.mark.parametrize("name", ["index", "radar", "temperatures", "alerts"])
def test_pages_answer_with_sample_data(sample_weather, client, name):
    response = client.get(reverse(f"weather:{name}"))
    assert response.status_code == 200


def test_forecast_page_has_seven_days_and_next_hours(sample_weather, client):
    text = _text(client.get(reverse("weather:index")).content.decode())
    assert "Sample data" in text
    assert "Tupelo, MS" in text and "7-day forecast" in text and "Next hours" in text
    assert "Feels like 71°" in text
    assert "Observed at Tupelo Regional Airport" in text


def test_temperatures_map_places_every_station(sample_weather, client):
    html = client.get(reverse("weather:temperatures")).content.decode()
    assert html.count("<circle") == 36  # the sample's Mississippi and Alabama stations
    assert "71°" in html and "68°" in html
    assert 'class="county"' in html or "state--own" in html


def test_radar_page_without_a_loop_says_so(station, client):
    text = _text(client.get(reverse("weather:radar")).content.decode())
    assert "cannot be reached right now" in text


def test_radar_loop_is_fetched_and_served(station, nws, client):
    nws.expect_request("/ridge/standard/KGWX_loop.gif").respond_with_data(
        GIF, content_type="image/gif", headers={"Last-Modified": "Wed, 15 Oct 2025 15:50:00 GMT"}
    )
    assert "KGWX" in radar_refresh()
    page = client.get(reverse("weather:radar")).content.decode()
    assert "/weather/radar/KGWX/loop.gif" in page and "image time" in page
    image = client.get("/weather/radar/KGWX/loop.gif")
    assert image.status_code == 200 and image.content == GIF


def test_radar_outage_keeps_the_last_loop(station, nws, client):
    from newscast.core.http import FetchError

    RadarLoop.objects.create(site="KGWX", image=GIF, content_type="image/gif")
    nws.expect_request("/ridge/standard/KGWX_loop.gif").respond_with_data("nope", status=404)
    with pytest.raises(FetchError):
        radar_refresh()
    assert bytes(RadarLoop.objects.get().image) == GIF


def test_radar_refresh_keeps_to_its_deadline(station, nws):
    """A radar host that answers slowly cannot hold the worker: the loops share one deadline,
    and a loop that does not arrive in time keeps its last copy."""
    import time

    from newscast.core.http import FetchError

    RadarLoop.objects.create(site="KGWX", image=GIF, content_type="image/gif")

    def slow(request):
        time.sleep(3)
        from werkzeug import Response

        return Response(GIF, content_type="image/gif")

    nws.expect_request("/ridge/standard/KGWX_loop.gif").respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(FetchError):
        radar_refresh(deadline_seconds=1)
    assert time.monotonic() - started < 2.5
    assert bytes(RadarLoop.objects.get().image) == GIF


def test_nws_outage_leaves_sample_up_and_records_the_failure(
    sample_weather, client, settings, closed_port
):
    from newscast.weather.tasks import weather_alerts_job, weather_refresh_job

    settings.NWS_BASE_URL = f"http://127.0.0.1:{closed_port}"
    settings.NWS_RADAR_BASE_URL = settings.NWS_BASE_URL
    settings.NWS_ENABLED = True
    weather_refresh_job()
    weather_alerts_job()
    runs = {run.job: run for run in JobRun.objects.all()}
    assert runs["weather_refresh"].outcome == JobRun.Outcome.FAILURE
    assert "could not be reached" in runs["weather_refresh"].summary
    assert runs["weather_alerts"].outcome == JobRun.Outcome.FAILURE
    text = _text(WIDGET.render(Context({})))
    assert "Tupelo Overcast 71°" in text and "Sample data" in text
    for name in ("index", "radar", "temperatures", "alerts"):
        assert client.get(reverse(f"weather:{name}")).status_code == 200


def test_jobs_do_nothing_when_nws_is_off(sample_weather, settings):
    from newscast.weather.tasks import weather_refresh_job

    settings.NWS_ENABLED = False
    weather_refresh_job()
    assert "NWS_ENABLED=false" in JobRun.objects.get().summary


def test_refresh_command_exit_code_on_outage(sample_weather, settings, closed_port):
    from django.core.management import CommandError, call_command

    settings.NWS_BASE_URL = f"http://127.0.0.1:{closed_port}"
    settings.NWS_RADAR_BASE_URL = settings.NWS_BASE_URL
    with pytest.raises(CommandError, match="last good data stays up"):
        call_command("weather_refresh", stdout=io.StringIO(), stderr=io.StringIO())


def test_admin_status_page_and_refresh_button(sample_weather, admin_client, settings):
    settings.NWS_ENABLED = False  # the button queues the jobs; here they run inline and skip
    page = admin_client.get(reverse("weather_admin_status"))
    assert page.status_code == 200
    text = _text(page.content.decode())
    assert "Tupelo, MS" in text and "KTUP 71°F" in text and "(sample)" in text
    response = admin_client.post(reverse("weather_admin_refresh"))
    assert response.status_code == 302
    assert JobRun.objects.filter(job="weather_refresh").exists()


def test_old_report_is_shown_as_not_current(sample_weather):
    from datetime import timedelta

    from django.utils import timezone

    StationReport.objects.filter(station_id="KTUP").update(
        observed_at=timezone.now() - timedelta(hours=3)
    )
    text = _text(WIDGET.render(Context({})))
    assert "Tupelo Overcast 71° Hi: 73° Lo: 68° Feels Like: 71° Not current: as of" in text
    assert text.count("Not current") == 1


def test_after_dark_widget_shows_tonight_low_and_tomorrow_high(sample_weather):
    from django.template.loader import render_to_string

    from newscast.weather.nws.types import ForecastPeriod
    from newscast.weather.selectors import city_conditions

    tupelo = CityWeather.objects.get(city__name="Tupelo")
    evening = ForecastPeriod.from_stored(tupelo.periods[0]).end  # the day period just ended
    cities = city_conditions(evening)
    html = render_to_string("weather/includes/widget.html", {"cities": cities})
    tomorrow = ForecastPeriod.from_stored(tupelo.periods[2])
    assert tomorrow.is_daytime
    assert f"Lo tonight: 68° Hi tomorrow: {tomorrow.temperature_f}°" in _text(html)


def test_admin_groups_an_outage_in_plain_words(sample_weather, admin_client, settings, closed_port):
    """An outage fails every request the same way: one line per reason with its count, no
    internal exception name, and sample grids not called "not resolved"."""
    from newscast.weather.tasks import weather_refresh_job

    settings.NWS_BASE_URL = f"http://127.0.0.1:{closed_port}"
    settings.NWS_RADAR_BASE_URL = settings.NWS_BASE_URL
    weather_refresh_job()
    text = _text(admin_client.get(reverse("weather_admin_status")).content.decode())
    assert "WeatherRefreshFailed" not in text
    summary = JobRun.objects.get(job="weather_refresh").summary
    reasons = [line for line in summary.splitlines()[1:] if "could not be reached" in line]
    assert len(reasons) == 1
    assert reasons[0].startswith("16 requests (Tupelo, MS; Columbus, MS; Oxford, MS; Starkville")
    assert "not resolved yet" not in text and "the NWS has not been asked yet" in text


def test_temperatures_map_names_its_dots_without_overlap():
    """Close stations (Tupelo and Oxford, Columbus and Starkville): every dot gets its place
    name where it fits, and no two labels cover each other."""
    from types import SimpleNamespace

    from newscast.weather.maps import CHAR_WIDTH, _box, _overlaps, short_name, temperature_map

    stations = [
        ("KTUP", "Tupelo Regional Airport", 34.26, -88.77),
        ("KUOX", "Oxford, University-Oxford Airport", 34.38, -89.54),
        ("KCBM", "Columbus Air Force Base", 33.64, -88.44),
        ("KGTR", "Columbus, Golden Triangle Regional Airport", 33.45, -88.59),
        ("KSTF", "Starkville, George M Bryan Field", 33.43, -88.85),
    ]
    reports = [
        SimpleNamespace(station_id=sid, name=name, latitude=lat, longitude=lon, temperature_f=71.0)
        for sid, name, lat, lon in stations
    ]
    assert short_name("Tupelo Regional Airport") == "Tupelo"
    assert short_name("Gulfport-Biloxi International Airport") == "Gulfport"  # not cut mid-word
    assert short_name("DW3512 Saltillo") == "Saltillo"  # a CWOP call sign is no place
    assert short_name("Columbus/W Point/Starkville, Golden Triangle Rgnl") == "Columbus"
    # The cities' own stations first, as the page asks (selectors.city_station_ids).
    points = temperature_map(["MS", "AL"], reports, first=["KTUP", "KCBM", "KUOX", "KSTF"]).points
    assert len(points) == 5
    assert {p.name for p in points} >= {"Tupelo", "Oxford", "Starkville"}
    boxes = [
        _box(p.anchor, p.text_x, p.text_y, CHAR_WIDTH * max(3, len(p.name)), 2 if p.name else 1)
        for p in points
        if p.shown
    ]
    assert len(boxes) >= 4
    for i, box in enumerate(boxes):
        assert not any(_overlaps(box, other) for other in boxes[i + 1 :])


def test_temperatures_page_shows_place_names(sample_weather, client):
    page = client.get(reverse("weather:temperatures")).content.decode()
    assert 'class="tmap-name"' in page and ">Tupelo</tspan>" in page


def test_each_city_has_its_own_radar_on_the_radar_page(sample_weather, nws, client):
    """Oxford's /points answer names KNQA (Memphis), not Tupelo's KGWX: both are offered,
    both loops fetched, and ?site= shows the one asked for."""
    from newscast.weather.selectors import radar_sites

    assert radar_sites() == [("KGWX", ["Tupelo", "Columbus", "Starkville"]), ("KNQA", ["Oxford"])]
    for site in ("KGWX", "KNQA"):
        nws.expect_request(f"/ridge/standard/{site}_loop.gif").respond_with_data(
            GIF, content_type="image/gif"
        )
    summary = radar_refresh()
    assert "KGWX" in summary and "KNQA" in summary
    page = _text(client.get(reverse("weather:radar") + "?site=KNQA").content.decode())
    assert "Radar (KNQA)" in page and "KGWX (Tupelo, Columbus, Starkville)" in page
    assert client.get("/weather/radar/KNQA/loop.gif").content == GIF
    unknown = _text(client.get(reverse("weather:radar") + "?site=KZZZ").content.decode())
    assert "Radar (KGWX)" in unknown
