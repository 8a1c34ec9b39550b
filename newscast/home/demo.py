"""The demo station: a fictional station in Tupelo, Mississippi."""

from decimal import Decimal

from wagtail.models import Site

from newscast.home.models import StationSettings

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
    station.save()
    stdout.write("Station settings: demo station WNCS in Tupelo, MS.")
