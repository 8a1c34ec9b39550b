"""Where things are in the NWS API. The API answers with absolute URLs on api.weather.gov;
we keep only their paths and join them to NWS_BASE_URL, so a proxy or a replay server works.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote, urlsplit

from django.conf import settings


def api_path(url: str) -> str:
    """The path (and query) of an NWS URL: /gridpoints/MEG/92,29/forecast."""
    parts = urlsplit(str(url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def absolute(path: str) -> str:
    return settings.NWS_BASE_URL.rstrip("/") + path


def _four_decimals(value) -> str:
    # The API answers a point with more than 4 decimals with a 301 to the rounded point
    # (https://github.com/weather-gov/api/discussions/18): ask for the rounded one at once.
    rounded = Decimal(str(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return format(rounded.normalize(), "f")


def points_path(latitude, longitude) -> str:
    return f"/points/{_four_decimals(latitude)},{_four_decimals(longitude)}"


def latest_observation_path(station_id: str) -> str:
    return f"/stations/{station_id}/observations/latest"


def state_stations_path(states: list[str]) -> str:
    """Every observation station in the states, 500 a page (the most the API gives)."""
    return "/stations?" + "&".join(f"state={state}" for state in states) + "&limit=500"


def active_alerts_path(states: list[str]) -> str:
    # status=actual drops tests and exercises; no other parameters (unknown ones get a 400).
    return f"/alerts/active?status=actual&area={','.join(states)}"


def alert_path(message_id: str) -> str:
    """One message, with `replacedBy`/`replacedAt` once something replaced it."""
    return f"/alerts/{quote(message_id, safe=':.')}"


def radar_loop_url(site: str) -> str:
    """The RIDGE2 animated loop of one radar site."""
    return f"{settings.NWS_RADAR_BASE_URL.rstrip('/')}/ridge/standard/{site.upper()}_loop.gif"


def radar_page_url(site: str) -> str:
    return f"https://radar.weather.gov/station/{site.lower()}/standard"
