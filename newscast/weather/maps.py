"""The temperatures map: station reports placed over state and county outlines, as SVG.

Outlines come from the data desk's county shapes (Census cartographic boundaries already
projected to Albers USA in a 975 x 610 frame, as us-atlas publishes them); stations are placed
with the same projection (d3's geoAlbersUsa, lower 48: scale 1300, translate 487.5, 305).
Without that file we fall back to our own simplified state outlines (data/state_outlines.json).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from newscast.weather.alerts import STATE_FIPS

STATE_OUTLINES = Path(__file__).resolve().parent / "data" / "state_outlines.json"

# d3.geoAlbersUsa's lower-48 conic equal-area projection at us-atlas's 975 x 610 frame.
SCALE, TRANSLATE = 1300.0, (487.5, 305.0)
PARALLELS, ROTATE_DEG, CENTER = (29.5, 45.5), 96.0, (-0.6, 38.7)


def _conic(lon_rad: float, lat_rad: float) -> tuple[float, float]:
    sy0 = math.sin(math.radians(PARALLELS[0]))
    n = (sy0 + math.sin(math.radians(PARALLELS[1]))) / 2
    c = 1 + sy0 * (2 * n - sy0)
    r0 = math.sqrt(c) / n
    r = math.sqrt(c - 2 * n * math.sin(lat_rad)) / n
    return r * math.sin(lon_rad * n), r0 - r * math.cos(lon_rad * n)


@cache
def _center() -> tuple[float, float]:
    return _conic(math.radians(CENTER[0]), math.radians(CENTER[1]))


def albers_usa(longitude: float, latitude: float) -> tuple[float, float]:
    """(x, y) in the 975 x 610 frame of a point in the lower 48 states."""
    x, y = _conic(math.radians(longitude + ROTATE_DEG), math.radians(latitude))
    cx, cy = _center()
    return TRANSLATE[0] + SCALE * (x - cx), TRANSLATE[1] - SCALE * (y - cy)


@dataclass
class MapPoint:
    x: float
    y: float
    label: str
    temperature: int
    station_id: str
    band: str


@dataclass
class TemperatureMap:
    view_box: str
    states: list[str] = field(default_factory=list)  # path data
    counties: list[str] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    county_outlines: bool = False


def _datadesk_outline(state: str):
    """The data desk's county outlines for a state, when that app and file are there."""
    try:
        from newscast.datadesk.geography.shapes import state_outline
    except ImportError:
        return None
    try:
        return state_outline(STATE_FIPS[state])
    except (OSError, KeyError, ValueError):
        return None


@cache
def _own_outlines() -> dict:
    return json.loads(STATE_OUTLINES.read_text())["states"]


def _own_outline(state: str) -> tuple[str, list[tuple[float, float]]]:
    ring = [albers_usa(lon, lat) for lon, lat in _own_outlines().get(state, [])]
    path = ("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in ring) + "Z") if ring else ""
    return path, ring


def temperature_band(temperature: int) -> str:
    """A colour band every 10 degF (CSS classes t-band-...)."""
    return f"t{max(-1, min(11, math.floor(temperature / 10)))}"


def temperature_map(states: list[str], reports) -> TemperatureMap:
    """Outlines of the covered states and a labelled point per station report inside them."""
    boxes, result = [], TemperatureMap(view_box="0 0 975 610")
    for state in states:
        outline = _datadesk_outline(state)
        if outline is not None:
            result.states.append(outline.outline)
            result.counties.extend(outline.counties.values())
            result.county_outlines = True
            left, top, width, height = map(float, outline.view_box.split())
            boxes.append((left, top, left + width, top + height))
            continue
        path, ring = _own_outline(state)
        if path:
            result.states.append(path)
            xs, ys = [x for x, _ in ring], [y for _, y in ring]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    if boxes:
        left, top = min(b[0] for b in boxes) - 4, min(b[1] for b in boxes) - 4
        right, bottom = max(b[2] for b in boxes) + 4, max(b[3] for b in boxes) + 4
        result.view_box = f"{left:.1f} {top:.1f} {right - left:.1f} {bottom - top:.1f}"
    else:
        left, top, right, bottom = 0, 0, 975, 610
    for report in reports:
        x, y = albers_usa(report.longitude, report.latitude)
        if not (left <= x <= right and top <= y <= bottom):
            continue
        temperature = math.floor(report.temperature_f + 0.5)
        result.points.append(
            MapPoint(
                x, y, report.name, temperature, report.station_id, temperature_band(temperature)
            )
        )
    return result
