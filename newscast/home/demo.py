"""The demo station: a fictional station in Tupelo, Mississippi."""

from datetime import time
from decimal import Decimal

from django.templatetags.static import static
from wagtail.models import Site

from newscast.core.models import StationSettings

DEMO_CITIES = [
    ("Tupelo", "MS", Decimal("34.2576"), Decimal("-88.7034")),
    ("Columbus", "MS", Decimal("33.4957"), Decimal("-88.4273")),
    ("Oxford", "MS", Decimal("34.3665"), Decimal("-89.5192")),
    ("Starkville", "MS", Decimal("33.4504"), Decimal("-88.8184")),
]


def load(stdout) -> None:
    """Fill the station settings of the default site, unless an editor already has."""
    site = Site.objects.get(is_default_site=True)
    station = StationSettings.for_site(site)
    if station.covered_states.exists():
        return
    station.station_name = "Newscast 9 (demo station)"
    station.call_sign = "WNCS"
    station.tagline = "Northeast Mississippi's news, weather and data (a Newscast demo station)"
    station.time_zone = "America/Chicago"
    station.radar_site = "KGWX"
    for order, code in enumerate(["MS", "AL"]):
        station.covered_states.create(postal_code=code, sort_order=order)
    for order, (name, state, lat, lon) in enumerate(DEMO_CITIES):
        station.weather_cities.create(
            name=name, state=state, latitude=lat, longitude=lon, sort_order=order
        )
    _broadcaster_links(station)
    _live(station)
    station.save()
    stdout.write("Station settings: demo station WNCS in Tupelo, MS.")


# (weekday, start, end, title): a sample schedule for the demo station's newscasts.
DEMO_NEWSCASTS = [
    *[(day, time(6), time(7), "Sample: Morning News") for day in range(5)],
    *[(day, time(18), time(18, 30), "Sample: News at 6") for day in range(7)],
    *[(day, time(22), time(22, 35), "Sample: News at 10") for day in range(7)],
]


def _live(station: StationSettings) -> None:
    """The sample clip stands in for a live stream (HLS, in static files), with a schedule."""
    station.live_stream_url = static("video/sample/sample-clip.m3u8")
    for order, (day, start, end, title) in enumerate(DEMO_NEWSCASTS):
        station.on_air_slots.create(
            weekday=day, starts_at=start, ends_at=end, title=title, sort_order=order
        )


def _broadcaster_links(station: StationSettings) -> None:
    """Sample values, labelled as such, for the links and contacts a broadcaster publishes."""
    station.fcc_public_file_url = "https://publicfiles.fcc.gov/"
    station.eeo_report_url = "https://publicfiles.fcc.gov/"
    station.contact_url = "mailto:newsroom@example.com"
    station.news_tip_url = "mailto:tips@example.com?subject=News%20tip"
    station.captioning_immediate_name = "Sample: Master control operator on duty"
    station.captioning_immediate_phone = "662-555-0100"
    station.captioning_immediate_email = "captions@example.com"
    station.captioning_written_name = "Sample: Jordan Reyes, Chief Engineer"
    station.captioning_written_address = "100 Sample Street\nTupelo, MS 38804"
    station.captioning_written_email = "engineering@example.com"
