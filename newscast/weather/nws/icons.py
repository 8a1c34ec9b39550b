"""NWS icon URLs -> condition codes, words and our own icon names.

Icon URL grammar: /icons/land/{day|night}/{code}[,{pop}][/{code2}[,{pop2}]]?size=...
(absolute, relative or null). We never hot-link NWS icons (the service is deprecated); we
show our own symbol for the code's family, and the words the NWS icon legend gives the code
("ovc" -> "Overcast", as the station's weather block says).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ICON_PATH = re.compile(r"/icons/land/(?P<time>day|night)/(?P<codes>[^?#]+)")

# The NWS icon legend (api.weather.gov/icons, as pynws lists it), in newsroom words.
CONDITION_WORDS = {
    "skc": "Clear",
    "few": "Mostly clear",
    "sct": "Partly cloudy",
    "bkn": "Mostly cloudy",
    "ovc": "Overcast",
    "wind_skc": "Clear and windy",
    "wind_few": "Mostly clear and windy",
    "wind_sct": "Partly cloudy and windy",
    "wind_bkn": "Mostly cloudy and windy",
    "wind_ovc": "Overcast and windy",
    "snow": "Snow",
    "rain_snow": "Rain and snow",
    "rain_sleet": "Rain and sleet",
    "snow_sleet": "Snow and sleet",
    "fzra": "Freezing rain",
    "rain_fzra": "Rain and freezing rain",
    "snow_fzra": "Snow and freezing rain",
    "sleet": "Sleet",
    "rain": "Rain",
    "rain_showers": "Rain showers",
    "rain_showers_hi": "Rain showers",
    "tsra": "Thunderstorms",
    "tsra_sct": "Scattered thunderstorms",
    "tsra_hi": "Isolated thunderstorms",
    "tornado": "Tornado",
    "hurricane": "Hurricane conditions",
    "tropical_storm": "Tropical storm conditions",
    "dust": "Dust",
    "smoke": "Smoke",
    "haze": "Haze",
    "hot": "Hot",
    "cold": "Cold",
    "blizzard": "Blizzard",
    "fog": "Fog",
}

# Our symbols (templates/weather/includes/icon.html) by code family.
SYMBOLS = {
    "skc": "clear",
    "few": "clear",
    "hot": "clear",
    "cold": "clear",
    "sct": "partly",
    "bkn": "cloudy",
    "ovc": "cloudy",
    "wind_skc": "wind",
    "wind_few": "wind",
    "wind_sct": "wind",
    "wind_bkn": "wind",
    "wind_ovc": "wind",
    "snow": "snow",
    "rain_snow": "snow",
    "snow_sleet": "snow",
    "blizzard": "snow",
    "sleet": "snow",
    "fzra": "rain",
    "rain_fzra": "rain",
    "snow_fzra": "snow",
    "rain_sleet": "rain",
    "rain": "rain",
    "rain_showers": "rain",
    "rain_showers_hi": "rain",
    "tsra": "storm",
    "tsra_sct": "storm",
    "tsra_hi": "storm",
    "tornado": "storm",
    "hurricane": "storm",
    "tropical_storm": "storm",
    "dust": "fog",
    "smoke": "fog",
    "haze": "fog",
    "fog": "fog",
}


@dataclass(frozen=True)
class Icon:
    code: str  # the first condition code, e.g. "ovc"
    is_daytime: bool

    @property
    def words(self) -> str:
        return CONDITION_WORDS.get(self.code, "")

    @property
    def symbol(self) -> str:
        """Name of our symbol; clear and partly cloudy skies get a night version."""
        family = SYMBOLS.get(self.code, "cloudy")
        if not self.is_daytime and family in ("clear", "partly"):
            return f"{family}-night"
        return family


def parse_icon(url: str | None) -> Icon | None:
    """The first condition of an NWS icon URL, or None for null or unrecognised URLs."""
    if not url:
        return None
    match = ICON_PATH.search(url)
    if not match:
        return None
    first = match["codes"].split("/")[0].split(",")[0]
    return Icon(code=first, is_daytime=match["time"] == "day")


def condition_words(icon: Icon | None, text_description: str | None) -> str:
    """The condition in the legend's words, else the observation's own text, else ""."""
    if icon and icon.words:
        return icon.words
    return (text_description or "").strip()
