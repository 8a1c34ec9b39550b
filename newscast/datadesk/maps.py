"""SVG choropleth of a state's counties, drawn on the server from the Census outlines.

Counties are shaded by cases per 100,000 residents in five classes (quantiles of the
state's counties, so the map shows where a state stands against itself). Each county
carries a <title> with its figure; the page's county table holds the same numbers in text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from newscast.core.geography.shapes import state_outline

# Sequential blues (ColorBrewer "Blues", 5 classes), light to dark; readable in grey too.
CLASS_COLOURS = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
NO_DATA_COLOUR = "#ffffff"


@dataclass
class MapLegend:
    colour: str
    label: str


@dataclass
class CountyMap:
    svg: SafeString
    legend: list[MapLegend]
    summary: str


def class_breaks(values: list[float], classes: int = len(CLASS_COLOURS)) -> list[float]:
    """Upper bounds of each class but the last (quantiles of the values)."""
    ordered = sorted(values)
    if not ordered:
        return []
    return [
        ordered[min(len(ordered) - 1, len(ordered) * step // classes)] for step in range(1, classes)
    ]


def class_of(value: float, breaks: list[float]) -> int:
    for index, bound in enumerate(breaks):
        if value < bound:
            return index
    return len(breaks)


def county_map(
    state, rates: dict[str, tuple[str, float | None]], *, map_id: str
) -> CountyMap | None:
    """rates: county FIPS -> (county name, cases per 100,000 or None). None without outlines."""
    outline = state_outline(state.fips)
    if outline is None:
        return None
    known = [value for _, value in rates.values() if value is not None]
    breaks = class_breaks(known)
    shapes = []
    for fips, path in outline.counties.items():
        name, value = rates.get(fips, ("", None))
        if value is None:
            colour, note = NO_DATA_COLOUR, "no data"
        else:
            colour, note = (
                CLASS_COLOURS[class_of(value, breaks)],
                f"{intcomma(round(value))} cases per 100,000",
            )
        shapes.append((path, colour, f"{name or fips}: {note}"))
    body = format_html_join(
        "",
        '<path d="{}" fill="{}"><title>{}</title></path>',
        shapes,
    )
    summary = (
        f"Map of {state.name}'s counties shaded by confirmed cases per 100,000 residents, "
        "from lightest (fewest) to darkest (most). The county table has every figure."
    )
    svg = format_html(
        '<svg class="county-map" viewBox="{vb}" role="img" aria-labelledby="{id}-title" '
        'aria-describedby="{id}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc><g class="county-map__counties">{body}</g>'
        '<path class="county-map__state" d="{outline}"/></svg>',
        vb=outline.view_box,
        id=map_id,
        title=f"Cases per 100,000 by county, {state.name}",
        desc=summary,
        body=body,
        outline=outline.outline,
    )
    legend = legend_for(breaks) if known else []
    return CountyMap(svg=svg, legend=legend, summary=summary)


def legend_for(breaks: list[float]) -> list[MapLegend]:
    bounds = [0.0, *breaks]
    legend = []
    for index, colour in enumerate(CLASS_COLOURS[: len(bounds)]):
        low = intcomma(round(bounds[index]))
        label = (
            f"{low} or more"
            if index == len(bounds) - 1
            else f"{low} to {intcomma(round(bounds[index + 1]))}"
        )
        legend.append(MapLegend(colour, label))
    return legend
