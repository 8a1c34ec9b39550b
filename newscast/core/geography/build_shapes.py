"""Build data/county_shapes.json from the us-atlas package (Census cartographic boundaries).

Run once, by hand, when the boundaries change (the output is committed):

    cd /tmp && npm pack us-atlas@3 && tar xzf us-atlas-3.*.tgz
    .venv/bin/python -m newscast.core.geography.build_shapes \
        /tmp/package/counties-albers-10m.json

us-atlas 3.0.1's counties-albers-10m.json is the Census Bureau's 2017 1:10,000,000 county
cartographic boundary file, already projected to Albers USA in a 975 x 610 frame, in
TopoJSON. We keep its topology (shared arcs) so borders are stored once, simplify each arc
with Douglas-Peucker (endpoints kept, so neighbours still meet), and store the points as
integer deltas on a grid of GRID units per frame pixel. `shapes.py` reads the result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "data" / "county_shapes.json"
TOLERANCE = 0.12  # frame pixels; a state page draws a state ~10x larger than the frame
GRID = 10  # stored coordinates are tenths of a frame pixel


def arcs_decode(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON quantized, delta-encoded arcs -> lists of absolute frame coordinates."""
    (scale_x, scale_y), (move_x, move_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        decoded.append(points)
    return decoded


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; keeps the first and last point."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
        worst, worst_index = 0.0, None
        for index in range(first + 1, last):
            px, py = points[index]
            if length:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                distance = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if distance > worst:
                worst, worst_index = distance, index
        if worst_index is not None and worst > tolerance:
            keep[worst_index] = True
            stack += [(first, worst_index), (worst_index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def arc_encode(points: list[tuple[float, float]]) -> list[int]:
    """Flat [x0, y0, dx1, dy1, ...] on the GRID."""
    flat, last_x, last_y = [], 0, 0
    for x, y in points:
        gx, gy = round(x * GRID), round(y * GRID)
        flat += [gx - last_x, gy - last_y]
        last_x, last_y = gx, gy
    return flat


def polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def build(source: Path) -> dict:
    topology = json.loads(source.read_text())
    arcs = [arc_encode(simplify(points, TOLERANCE)) for points in arcs_decode(topology)]
    counties = {
        geometry["id"]: polygons(geometry)
        for geometry in topology["objects"]["counties"]["geometries"]
        if polygons(geometry)
    }
    states = {
        geometry["id"]: polygons(geometry)
        for geometry in topology["objects"]["states"]["geometries"]
        if polygons(geometry)
    }
    return {
        "source": "us-atlas 3.0.1 counties-albers-10m.json (Census 2017 cartographic "
        "boundaries, 1:10,000,000, Albers USA, 975 x 610)",
        "grid": GRID,
        "arcs": arcs,
        "counties": counties,
        "states": states,
    }


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    shapes = build(Path(argv[1]))
    OUTPUT.write_text(json.dumps(shapes, separators=(",", ":")))
    print(f"Wrote {OUTPUT} ({OUTPUT.stat().st_size:,} bytes, {len(shapes['counties'])} counties)")


if __name__ == "__main__":
    main(sys.argv)
