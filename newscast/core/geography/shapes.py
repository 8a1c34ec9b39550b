"""County and state outlines as SVG path data, from data/county_shapes.json (see build_shapes)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SHAPES_JSON = Path(__file__).resolve().parent.parent / "data" / "county_shapes.json"


@dataclass(frozen=True)
class StateOutline:
    """A state's counties as SVG paths in the frame's coordinates, and the box around them."""

    view_box: str
    width: float
    height: float
    counties: dict[str, str]  # 5-digit FIPS -> path data
    outline: str


@cache
def shapes() -> dict:
    data = json.loads(SHAPES_JSON.read_text())
    grid = data["grid"]
    points = []
    for flat in data["arcs"]:
        x = y = 0
        arc = []
        for index in range(0, len(flat), 2):
            x, y = x + flat[index], y + flat[index + 1]
            arc.append((x / grid, y / grid))
        points.append(arc)
    data["points"] = points
    return data


def ring_points(arc_indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    """TopoJSON ring: arcs joined end to start; ~index (negative) is an arc run backwards."""
    ring: list[tuple[float, float]] = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    return ring


def path_data(polygons: list, arcs: list) -> tuple[str, list[tuple[float, float]]]:
    parts, every = [], []
    for polygon in polygons:
        for ring in polygon:
            pts = ring_points(ring, arcs)
            every.extend(pts)
            parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in pts) + "Z")
    return "".join(parts), every


@cache
def state_outline(state_fips: str) -> StateOutline | None:
    """The counties of one state (by 2-digit FIPS), or None if the file has none for it."""
    data = shapes()
    arcs = data["points"]
    counties, every = {}, []
    for fips, polygons in data["counties"].items():
        if fips.startswith(state_fips):
            counties[fips], pts = path_data(polygons, arcs)
            every.extend(pts)
    if not counties:
        return None
    outline, _ = path_data(data["states"].get(state_fips, []), arcs)
    xs, ys = [x for x, _ in every], [y for _, y in every]
    pad = 2
    left, top = min(xs) - pad, min(ys) - pad
    width, height = max(xs) - left + pad, max(ys) - top + pad
    return StateOutline(
        view_box=f"{left:g} {top:g} {width:g} {height:g}",
        width=width,
        height=height,
        counties=counties,
        outline=outline,
    )
