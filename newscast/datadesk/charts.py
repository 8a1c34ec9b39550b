"""SVG charts drawn on the server: daily new cases as bars with a 7-day average line.

One bar per calendar day. A day without a complete change from the day before (no report,
or a county that did not report) has no bar: a gap, not a zero. A day the source revised
down is a bar below the zero line (class chart-revised). The average line is drawn only
over complete 7-day windows, and breaks where one is not.

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
from newscast.datadesk.selectors import DayFigures, rolling_average

WIDTH, HEIGHT = 640, 260
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 64, 12, 12, 34
GRID_LINES = 4


@dataclass
class DailyChart:
    """A rendered chart and the words that stand for it."""

    svg: SafeString
    summary: str
    recent: list[tuple[date, int | None, float | None]]  # the last days, newest first


def nice_ceiling(value: float) -> int:
    """The next round number at or above value (1, 2, 2.5, 5 x 10^n), for the y axis."""
    if value <= 0:
        return GRID_LINES
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return int(10 * magnitude)


def chart_summary(place: str, label: str, days: list[DayFigures], averages: list) -> str:
    known = [day for day in days if day.new is not None]
    if not known:
        return f"No daily {label.lower()} figures for {place} yet."
    peak = max(known, key=lambda day: day.new)
    text = (
        f"Daily new {label.lower()} in {place} from {station_date(days[0].date)} to "
        f"{station_date(days[-1].date)}. The most in one day was {intcomma(peak.new)}, on "
        f"{station_date(peak.date)}."
    )
    gaps = len(days) - len(known)
    if gaps:
        text += f" {gaps} {'day has' if gaps == 1 else 'days have'} no complete figure (gaps)."
    revised = [day for day in known if day.new < 0]
    if revised:
        days_word = "day" if len(revised) == 1 else "days"
        text += f" On {len(revised)} {days_word} the source revised the count down."
    latest_avg = averages[-1] if averages else None
    if latest_avg is not None:
        text += f" The latest 7-day average is {intcomma(round(latest_avg))} a day."
    return text


def daily_chart(
    days: list[DayFigures], place: str, label: str = "Cases", *, chart_id: str
) -> DailyChart:
    """Bars of daily new counts with a 7-day average line, one slot per calendar day."""
    values = [day.new for day in days]
    averages = rolling_average(values)
    summary = chart_summary(place, label, days, averages)
    recent = [(day.date, day.new, avg) for day, avg in zip(days, averages, strict=True)]
    recent = recent[-14:][::-1]
    plot_w = WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_h = HEIGHT - PLOT_TOP - PLOT_BOTTOM
    known = [value for value in values if value is not None]
    # A round step between grid lines, so the axis reads 0, 25, 50, 75, 100; below zero
    # only as far as the largest revision needs.
    step = nice_ceiling(max([*known, 0]) / GRID_LINES)
    top = step * GRID_LINES
    lowest = min([*known, 0])
    bottom = -step * -(lowest // step) if lowest < 0 else 0  # whole steps below zero
    scale = Scale(top, bottom, plot_h, step)
    parts = [grid_and_labels(scale, plot_w)]
    if days:
        step = plot_w / len(days)
        parts.append(bars(values, step, scale))
        parts.append(average_line(averages, step, scale))
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
        body=mark_safe("".join(parts)),  # safe: every part was built by format_html
    )
    return DailyChart(svg=svg, summary=summary, recent=recent)


@dataclass(frozen=True)
class Scale:
    """The y axis: `top` and `bottom` (0 or below) in counts, over `height` pixels, with a
    grid line every `step`."""

    top: int
    bottom: int
    height: float
    step: int

    def y(self, value: float) -> float:
        return PLOT_TOP + (self.top - value) / (self.top - self.bottom) * self.height


def bars(values: list[int | None], step: float, scale: Scale) -> SafeString:
    width = max(step * 0.8, 0.5)
    zero = scale.y(0)
    rises, falls = [], []
    for index, value in enumerate(values):
        if not value:  # a gap (None) or a day with nothing new: no bar
            continue
        x = PLOT_LEFT + index * step
        path = f"M{x:.1f} {zero:.1f}h{width:.2f}V{scale.y(value):.1f}h{-width:.2f}z"
        (rises if value > 0 else falls).append(path)
    return format_html(
        '<path class="chart-bars" d="{}"/>{}',
        "".join(rises),
        format_html('<path class="chart-revised" d="{}"/>', "".join(falls)) if falls else "",
    )


def average_line(averages: list[float | None], step: float, scale: Scale) -> SafeString:
    """The 7-day average, a new segment after each gap ("M" starts a segment)."""
    commands, drawing = [], False
    for index, avg in enumerate(averages):
        if avg is None:
            drawing = False
            continue
        point = f"{PLOT_LEFT + (index + 0.5) * step:.1f} {scale.y(avg):.1f}"
        commands.append(("L" if drawing else "M") + point)
        drawing = True
    if not commands:
        return mark_safe("")  # safe: empty
    return format_html('<path class="chart-average" d="{}"/>', "".join(commands))


def grid_and_labels(scale: Scale, plot_w: float) -> SafeString:
    lines = []
    for value in range(scale.bottom, scale.top + 1, scale.step):
        y = scale.y(value)
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
    return mark_safe("".join(lines))  # safe: built by format_html


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
                station_date(days[index].date),
            )
        )
    return mark_safe("".join(labels))  # safe: built by format_html
