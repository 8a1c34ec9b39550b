"""Reading forecast periods against the clock: today's high and low, the next hours.

The forecast's rules (https://www.weather.gov/documentation/services-web-api, /gridpoints
forecast): day periods carry the high and night periods the low; period 1 starts at
the current hour; never parse names ("Tonight", "Overnight", holiday names), use isDaytime and
times. After dark there is no high left for today: show tonight's low and tomorrow's high,
labelled so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newscast.weather.nws.types import ForecastPeriod


@dataclass(frozen=True)
class HighLow:
    high: int | None
    low: int | None
    after_dark: bool
    high_label: str  # "Hi", or "Hi tomorrow" / "Hi today" after dark
    low_label: str  # "Lo", or "Lo tonight" / "Lo overnight" after dark


def upcoming(periods: list[ForecastPeriod], now: datetime) -> list[ForecastPeriod]:
    """Periods that have not ended, in time order."""
    return [p for p in sorted(periods, key=lambda p: p.start) if p.end > now]


def high_low(periods: list[ForecastPeriod], now: datetime) -> HighLow | None:
    left = upcoming(periods, now)
    if not left:
        return None
    first = left[0]
    second = left[1] if len(left) > 1 else None
    if first.is_daytime:
        low = second.temperature_f if second and not second.is_daytime else None
        return HighLow(first.temperature_f, low, False, "Hi", "Lo")
    local_now = now.astimezone(first.start.tzinfo)
    high = second.temperature_f if second and second.is_daytime else None
    same_day = second is not None and second.start.date() == local_now.date()
    return HighLow(
        high=high,
        low=first.temperature_f,
        after_dark=True,
        high_label="Hi today" if same_day else "Hi tomorrow",
        low_label="Lo overnight" if local_now.hour < 6 else "Lo tonight",
    )
