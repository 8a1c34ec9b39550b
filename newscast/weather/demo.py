"""Demo weather: recorded NWS answers for Tupelo, Columbus, Oxford and Starkville, stored as
sample data (labelled so on every page). The worker's jobs replace them with live data when
the NWS can be reached; offline, the sample stays up with its "as of" times.

The recordings describe Wednesday 15 October 2025, 10:58 CDT. Their times are moved forward
by the same amount to now, as the weather.gov team's replay proxy does, so that the forecast
periods line up with today's clock.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from newscast.core.selectors import station_for_default_site
from newscast.core.timefmt import station_zone
from newscast.weather.models import CityWeather, MapStation, RadarLoop, StationReport
from newscast.weather.nws.parse import (
    parse_forecast,
    parse_observation,
    parse_point,
    parse_station_page,
    parse_stations,
)
from newscast.weather.selectors import radar_sites
from newscast.weather.services.common import pages_changed
from newscast.weather.services.refresh.plan import HOURLY_KEPT
from newscast.weather.services.refresh.store import report_store, store_point

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
RECORDED_AT = datetime(2025, 10, 15, 15, 58, tzinfo=UTC)
# The recorded alert snapshots (`newscast weather drill`): Tornado Warning for Lee and Pontotoc
# at 19:50 CDT, its Update and the Pontotoc Cancel at 20:08, the Lee Cancel at 20:23.
FIRST_ALERT_AT = datetime(2025, 10, 16, 0, 50, tzinfo=UTC)
ALERT_STEPS = {
    "alert": ("alerts_active.json", timedelta(0)),
    "update": ("alerts_active_update.json", timedelta(minutes=18)),
    "cancel": ("alerts_active_cancel.json", timedelta(minutes=33)),
}
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")


def shift_times(text: str, delta: timedelta) -> str:
    """Move every ISO 8601 time in a JSON text by delta, keeping each one's offset."""

    def move(match: re.Match) -> str:
        moment = datetime.fromisoformat(match.group(0))
        return (moment + delta).isoformat()

    return ISO_TIME.sub(move, text)


# Alert wording carries its own times ("issued October 15 at 7:47PM CDT", "At 747 PM CDT"),
# all on the recording's evening in Central time; the drill moves them with the ISO times.
RECORDED_DAY = (2025, 10, 15)
RECORDED_OFFSETS = {"CDT": -5, "CST": -6}
HEADLINE_TIME = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" (\d{1,2}) at (\d{1,2}):(\d{2})(AM|PM) (CDT|CST)\b"
)
TEXT_TIME = re.compile(r"(?<![\d:])(\d{1,2})(:?)(\d{2})? (AM|PM) (CDT|CST)\b")
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


def _recorded_moment(month, day, hour, minute, half, zone) -> datetime:
    hour = hour % 12 + (12 if half == "PM" else 0)
    offset = timezone.get_fixed_timezone(RECORDED_OFFSETS[zone] * 60)
    return datetime(RECORDED_DAY[0], month, day, hour, minute, tzinfo=offset)


def _station_parts(moment: datetime) -> tuple[datetime, str, str]:
    # Station time even from a command, whose active zone is the server's TIME_ZONE.
    local = timezone.localtime(moment, station_zone())
    return local, f"{local.hour % 12 or 12}", "AM" if local.hour < 12 else "PM"


def shift_alert_wording(text: str, delta: timedelta) -> str:
    """Move the times written in alert headlines and texts by delta, in station time:
    "October 15 at 7:47PM CDT" becomes today's date and time, "At 747 PM CDT" its hour."""

    def headline(match: re.Match) -> str:
        month, day, hour, minute, half, zone = match.groups()
        moment = _recorded_moment(
            MONTHS.index(month) + 1, int(day), int(hour), int(minute), half, zone
        )
        local, hour12, half = _station_parts(moment + delta)
        return f"{MONTHS[local.month - 1]} {local.day} at {hour12}:{local:%M}{half} {local:%Z}"

    def wording(match: re.Match) -> str:
        hour, colon, minute, half, zone = match.groups()
        moment = _recorded_moment(*RECORDED_DAY[1:], int(hour), int(minute or 0), half, zone)
        local, hour12, half = _station_parts(moment + delta)
        minutes = "" if local.minute == 0 and not colon else f"{colon}{local:%M}"
        return f"{hour12}{minutes} {half} {local:%Z}"

    return TEXT_TIME.sub(wording, HEADLINE_TIME.sub(headline, text))


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PERIOD_WEEKDAY = re.compile(rf"^({'|'.join(WEEKDAYS)})\b")


def rename_days(periods: list, today: date) -> list:
    """Name the recorded periods' weekdays as if the recording's day were today.

    The recordings' "Today" is Wednesday 15 October; on a Saturday their "Thursday" is
    tomorrow, so it becomes "Sunday" ("Thursday Night" -> "Sunday Night"). The NWS's own
    relative names ("Today", "Tonight") stay; holiday names do not occur in the recordings.
    """
    days_moved = (today - date(*RECORDED_DAY)).days

    def renamed(match: re.Match) -> str:
        return WEEKDAYS[(WEEKDAYS.index(match.group(1)) + days_moved) % 7]

    return [dataclasses.replace(p, name=PERIOD_WEEKDAY.sub(renamed, p.name)) for p in periods]


def _read(city_dir: Path, name: str, delta: timedelta):
    return json.loads(shift_times((city_dir / f"{name}.json").read_text(), delta))


def load(stdout) -> None:
    """Store the sample weather for the station's cities, unless weather is already stored."""
    if StationReport.objects.exists():
        return
    station = station_for_default_site()
    if station is None:
        return
    now = timezone.now().replace(second=0, microsecond=0)
    delta = now - RECORDED_AT
    loaded = []
    with transaction.atomic():
        for city in station.weather_cities.all():
            city_dir = SAMPLE_DIR / city.name.lower()
            if not city_dir.is_dir():
                continue
            _load_city(city, city_dir, delta, now)
            loaded.append(city.name)
        mapped = _load_map(delta, now)
        radars = _load_radar(now)
    pages_changed()
    if loaded:
        stdout.write(f"Weather: sample data for {', '.join(loaded)} (recorded NWS answers).")
    if mapped:
        stdout.write(f"Weather: {mapped} sample station reports for the temperatures map.")
    if radars:
        stdout.write(f"Weather: a drawn sample radar loop for {', '.join(radars)}.")


def _load_radar(now: datetime) -> list[str]:
    """A drawn sample loop for each radar site the radar page offers, so the demo shows a
    loop without the network; labelled sample, replaced by the first live radar refresh."""
    sites = [site for site, _ in radar_sites()]
    for index, site in enumerate(sites):
        RadarLoop.objects.update_or_create(
            site=site,
            defaults={
                "image": sample_radar_gif(site, seed=index),
                "content_type": "image/gif",
                "last_modified": None,
                "fetched_at": now,
                "last_try_at": None,
                "last_error": "",
                "is_sample": True,
            },
        )
    return sites


def _load_map(delta: timedelta, now: datetime) -> int:
    """The temperatures map's sample: a station list for Mississippi and Alabama in the
    shape /stations?state=MS&state=AL answers, and a latest report for each (written for
    the project, not measured; pages label them as sample)."""
    map_dir = SAMPLE_DIR / "map"
    for listed in parse_station_page(_read(map_dir, "stations", delta)).stations:
        MapStation.objects.update_or_create(
            station_id=listed.station_id,
            defaults={
                "name": listed.name,
                "state": listed.state,
                "latitude": listed.latitude,
                "longitude": listed.longitude,
                "listed_at": now,
                "is_sample": True,
            },
        )
    stored = 0
    cities = set(StationReport.objects.values_list("station_id", flat=True))
    for feature in _read(map_dir, "observations_latest", delta)["features"]:
        observation = parse_observation(feature)
        if observation.station_id in cities:
            continue  # the city's own recorded report stays as recorded
        stored += report_store(observation, now, is_sample=True) is not None
    return stored


def _load_city(city, city_dir: Path, delta: timedelta, now: datetime) -> None:
    weather, _ = CityWeather.objects.get_or_create(city=city)
    point = parse_point(_read(city_dir, "points", delta))
    store_point(weather, point, city.latitude, city.longitude, now)
    # Not a live resolution: the first live refresh resolves the city again.
    weather.resolved_at = None
    weather.station_ids = [s.station_id for s in parse_stations(_read(city_dir, "stations", delta))]
    observation = parse_observation(_read(city_dir, "observation_latest", delta))
    weather.report = report_store(observation, now, is_sample=True)
    forecast = parse_forecast(_read(city_dir, "forecast", delta))
    today = timezone.localtime(now, ZoneInfo(city.station.time_zone)).date()
    weather.periods = [period.as_stored() for period in rename_days(forecast.periods, today)]
    weather.forecast_generated_at = forecast.generated_at
    weather.forecast_fetched_at = now
    hourly = parse_forecast(_read(city_dir, "forecast_hourly", delta))
    coming = [p for p in hourly.periods if p.end > now][:HOURLY_KEPT]
    weather.hourly = [p.as_stored() for p in coming]
    weather.hourly_fetched_at = now
    weather.forecast_is_sample = True
    weather.save()


RADAR_SIZE, RADAR_FRAMES = (300, 275), 8
# NWS reflectivity colours, light rain to heavy storms (dBZ 20, 35, 45, 55).
ECHO_COLOURS = ((0, 200, 0), (255, 230, 0), (255, 140, 0), (220, 0, 0))


def sample_radar_gif(site: str, *, seed: int = 0) -> bytes:
    """A small animated GIF of made-up rain bands drifting east-northeast, with "SAMPLE -
    not radar data" written on every frame (Pillow, installed with Wagtail)."""
    from PIL import Image, ImageDraw, ImageFilter

    frames = []
    width, height = RADAR_SIZE
    for frame in range(RADAR_FRAMES):
        image = Image.new("RGB", RADAR_SIZE, (32, 36, 44))
        draw = ImageDraw.Draw(image)
        for x in range(0, width, 50):  # a plain grid where a real loop has its map
            draw.line([(x, 0), (x, height)], fill=(58, 64, 76))
        for y in range(0, height, 50):
            draw.line([(0, y), (width, y)], fill=(58, 64, 76))
        echoes = Image.new("RGB", RADAR_SIZE, (0, 0, 0))
        mask = Image.new("L", RADAR_SIZE, 0)
        echo_draw, mask_draw = ImageDraw.Draw(echoes), ImageDraw.Draw(mask)
        for band in range(3):
            cx = (40 + band * 90 + seed * 37 + frame * 9) % (width + 60) - 30
            cy = 70 + band * 60 + frame * 3
            for level, colour in enumerate(ECHO_COLOURS):
                rx, ry = 46 - level * 11, 26 - level * 6
                box = [cx - rx, cy - ry, cx + rx, cy + ry]
                echo_draw.ellipse(box, fill=colour)
                mask_draw.ellipse(box, fill=255)
        image.paste(echoes.filter(ImageFilter.GaussianBlur(3)), mask=mask)
        draw.rectangle([0, 0, width, 18], fill=(0, 0, 0))
        draw.text((6, 4), f"SAMPLE - not radar data ({site})", fill=(255, 255, 255))
        draw.text((6, height - 14), f"frame {frame + 1} of {RADAR_FRAMES}", fill=(200, 200, 200))
        frames.append(image.convert("P", palette=Image.Palette.ADAPTIVE, colors=32))
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=400, loop=0)
    return out.getvalue()
