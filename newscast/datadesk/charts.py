"""SVG charts drawn on the server: daily new cases as bars with a 7-day average line.

The SVG is an image (role="img") named by its <title> and described by its <desc>, which
carries the figures a sighted reader takes from it; pages also print the recent days as a
table, so nothing depends on seeing the chart or on JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from newscast.core.timefmt import station_date
from newscast.datadesk.selectors import daily_new, rolling_average

WIDTH, HEIGHT = 640, 260
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 64, 12, 12, 34
GRID_LINES = 4


@dataclass
class DailyChart:
    """A rendered chart and the words that stand for it."""

    svg: SafeString
    summary: str
    recent: list[tuple[date, int, float | None]]  # the last days, newest first, for a table


def nice_ceiling(value: float) -> int:
    """The next round number at or above value (1, 2, 2.5, 5 x 10^n), for the y axis."""
    if value <= 0:
        return GRID_LINES
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return int(10 * magnitude)


def chart_summary(place: str, label: str, days: list, averages: list) -> str:
    if not days:
        return f"No {label.lower()} figures for {place} yet."
    peak_day, peak = max(days, key=lambda item: item[1])
    latest_avg = next((avg for avg in reversed(averages) if avg is not None), None)
    text = (
        f"Daily new {label.lower()} in {place} from {station_date(days[0][0])} to "
        f"{station_date(days[-1][0])}. The most in one day was {intcomma(peak)}, on "
        f"{station_date(peak_day)}."
    )
    if latest_avg is not None:
        text += f" The latest 7-day average is {intcomma(round(latest_avg))} a day."
    return text


def daily_chart(series, place: str, label: str = "Cases", *, chart_id: str) -> DailyChart:
    """Bars of daily new counts with a 7-day average line, from a cumulative series."""
    days = daily_new(series)
    averages = rolling_average([value for _, value in days])
    summary = chart_summary(place, label, days, averages)
    recent = [(day, value, avg) for (day, value), avg in zip(days, averages, strict=True)]
    recent = recent[-14:][::-1]
    plot_w = WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_h = HEIGHT - PLOT_TOP - PLOT_BOTTOM
    # A round step between grid lines, so the axis reads 0, 25, 50, 75, 100.
    top = nice_ceiling(max((value for _, value in days), default=0) / GRID_LINES) * GRID_LINES
    parts = [grid_and_labels(top, plot_w, plot_h)]
    if days:
        step = plot_w / len(days)
        bar = max(step * 0.8, 0.5)
        bars = []
        for index, (_, value) in enumerate(days):
            if value:
                h = value / top * plot_h
                x = PLOT_LEFT + index * step
                bars.append(f"M{x:.1f} {PLOT_TOP + plot_h:.1f}h{bar:.2f}v{-h:.1f}h{-bar:.2f}z")
        parts.append(format_html('<path class="chart-bars" d="{}"/>', "".join(bars)))
        line = [
            f"{PLOT_LEFT + (index + 0.5) * step:.1f} {PLOT_TOP + plot_h - avg / top * plot_h:.1f}"
            for index, avg in enumerate(averages)
            if avg is not None
        ]
        if line:
            parts.append(format_html('<path class="chart-average" d="M{}"/>', "L".join(line)))
        parts.append(axis_dates(days, plot_w))
    svg = format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" '
        'aria-describedby="{id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=f"Daily new {label.lower()}, {place}",
        desc=summary,
        body=mark_safe("".join(parts)),  # noqa: S308 - every part was built by format_html
    )
    return DailyChart(svg=svg, summary=summary, recent=recent)


def grid_and_labels(top: int, plot_w: float, plot_h: float) -> SafeString:
    lines = []
    for step in range(GRID_LINES + 1):
        value = top * step / GRID_LINES
        y = PLOT_TOP + plot_h - plot_h * step / GRID_LINES
        lines.append(
            format_html(
                '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
                PLOT_LEFT,
                PLOT_LEFT + plot_w,
                f"{y:.1f}",
                f"{y:.1f}",
                PLOT_LEFT - 8,
                f"{y + 5:.1f}",
                intcomma(round(value)),
            )
        )
    return mark_safe("".join(lines))  # noqa: S308 - built by format_html


def axis_dates(days: list, plot_w: float) -> SafeString:
    """First, middle and last dates under the x axis."""
    step = plot_w / len(days)
    picks = sorted({0, len(days) // 2, len(days) - 1})
    labels = []
    for index, anchor in zip(picks, ("start", "middle", "end"), strict=False):
        if len(picks) < 3:
            anchor = "start" if index == 0 else "end"
        labels.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="{}">{}</text>',
                f"{PLOT_LEFT + (index + 0.5) * step:.1f}",
                HEIGHT - 8,
                anchor,
                station_date(days[index][0]),
            )
        )
    return mark_safe("".join(labels))  # noqa: S308 - built by format_html
