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

from newscast.core.geography.shapes import state_outline
from newscast.core.states import STATE_FIPS

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
    name: str = ""  # the short place name drawn under the temperature ("" when no room)
    text_x: float = 0.0
    text_y: float = 0.0
    anchor: str = "middle"
    shown: bool = True


@dataclass
class TemperatureMap:
    view_box: str
    states: list[str] = field(default_factory=list)  # path data
    counties: list[str] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    county_outlines: bool = False
    line_height: float = 0.0  # the place name's line under the figure (set below)


def _county_outlines(state: str):
    """The state's county outlines (core/geography), or None when its file cannot be read."""
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


def temperature_map(states: list[str], reports, first=()) -> TemperatureMap:
    """Outlines of the covered states and a labelled point per station report inside them;
    the stations in `first` (the weather cities' own, in the cities' order) are labelled
    before the others."""
    boxes, result = [], TemperatureMap(view_box="0 0 975 610", line_height=LINE_HEIGHT)
    for state in states:
        outline = _county_outlines(state)
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
    order = {station_id: index for index, station_id in enumerate(first)}
    for report in sorted(reports, key=lambda r: _label_priority(r, order)):
        x, y = albers_usa(report.longitude, report.latitude)
        if not (left + DOT <= x <= right - DOT and top + DOT <= y <= bottom - DOT):
            continue
        temperature = math.floor(report.temperature_f + 0.5)
        result.points.append(
            MapPoint(
                x, y, report.name, temperature, report.station_id, temperature_band(temperature)
            )
        )
    labels_place(result.points, frame=(left, top, right, bottom))
    return result


def _label_priority(report, first: dict[str, int]) -> tuple:
    """The cities' own stations are labelled first, then airports (ICAO "K..."): the
    places readers know; the many small stations of the state lists take the room left."""
    station_id = report.station_id or ""
    airport = len(station_id) == 4 and station_id.startswith("K")
    return (first.get(station_id, len(first)), not airport)  # else as given (a stable sort)


# Label sizes in map units, for the 5-unit map font (.tmap text in weather.css). Two covered
# states span about 140 units, drawn about 360 px wide on a 390-px phone: 2.5 px a unit, so
# letters 12-13 px high (the browser test measures it). CHAR_WIDTH is a wide character's
# advance (digits, "°", capitals) in that font, so a label's box is never narrower than it.
FONT, CHAR_WIDTH, LINE_HEIGHT, DOT, HALO = 5.0, 3.0, 5.5, 1.5, 0.6
# A line's box as the browser measures it: 0.93 of the font above the baseline, 0.25 below.
ASCENT, DESCENT = 0.93 * FONT, 0.25 * FONT
ABOVE, BELOW = -(DOT + DESCENT), DOT + ASCENT  # baselines clear of the label's own dot
# Where a label may go, in order of preference: above, below, right, left of its dot, then
# the four corners (above right, below right, above left, below left).
PLACES = (("middle", 0.0, ABOVE), ("middle", 0.0, BELOW), ("start", 2.5, 1.8),
          ("end", -2.5, 1.8), ("start", DOT, ABOVE), ("start", DOT, BELOW),
          ("end", -DOT, ABOVE), ("end", -DOT, BELOW))  # fmt: skip
NOISE_WORDS = {"airport", "regional", "municipal", "field", "international", "county", "arpt"}


def short_name(station_name: str) -> str:
    """ "Tupelo Regional Airport" -> "Tupelo"; "Columbus, Golden Triangle Rgnl" -> "Columbus"."""
    first = station_name.split(",")[0].split(" - ")[0].split("/")[0]
    # Noise words go, and so do call signs such as CWOP's "DW3512": readers want the place.
    words = [
        w
        for w in first.split()
        if w.lower().strip(".") not in NOISE_WORDS and not any(c.isdigit() for c in w)
    ]
    if words and len(words[0]) > 14:  # "Gulfport-Biloxi International": the first place
        words = [words[0].split("-")[0]]
    name = ""
    for word in words:  # whole words only, up to 14 characters
        if name and len(name) + 1 + len(word) > 14:
            break
        name = f"{name} {word}".strip()
    return name[:14]


def _box(anchor: str, x: float, y: float, width: float, lines: int):
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    top = y - ASCENT
    return (left, top, left + width, top + (lines - 1) * LINE_HEIGHT + ASCENT + DESCENT)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box, frame) -> bool:
    # The white halo round each letter (stroke-width 2px) reaches a unit past its box.
    return (
        frame is None
        or frame[0] + HALO <= box[0]
        and box[2] <= frame[2] - HALO
        and frame[1] + HALO <= box[1]
        and box[3] <= frame[3] - HALO
    )


def labels_place(points: list[MapPoint], frame=None) -> None:
    """Give every dot its temperature and place name where neither covers another label or
    dot nor runs past the map's edge (`frame`: left, top, right, bottom), greedy, in order;
    with no room for both, the name is left to the table below."""
    taken = [(p.x - DOT, p.y - DOT, p.x + DOT, p.y + DOT) for p in points]
    for point in points:
        name = short_name(point.label)
        for lines, label in ((2, name), (1, "")):
            if lines == 2 and not name:
                continue
            # The figure alone is as wide as the figure, not as its name.
            width = CHAR_WIDTH * max(len(f"{point.temperature}°"), len(label))
            own = (point.x - DOT, point.y - DOT, point.x + DOT, point.y + DOT)
            for anchor, dx, dy in PLACES:
                if dy < 0:  # above the dot, the name's line too: the figure moves up a line
                    dy -= (lines - 1) * LINE_HEIGHT
                box = _box(anchor, point.x + dx, point.y + dy, width, lines)
                clear = not any(_overlaps(box, other) for other in taken if other != own)
                if clear and _inside(box, frame):
                    point.name, point.anchor = label, anchor
                    point.text_x, point.text_y = point.x + dx, point.y + dy
                    taken.append(box)
                    break
            else:
                continue
            break
        else:  # crowded: the dot alone; its figure is in the table under the map
            point.shown = False
