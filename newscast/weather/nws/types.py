"""What the NWS answers become: plain, typed values in degF, mph and percent."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime


@dataclass(frozen=True)
class Point:
    """A city's place in the NWS grid (/points): where its forecast and stations live."""

    grid_id: str
    grid_x: int
    grid_y: int
    forecast_path: str
    hourly_path: str
    stations_path: str
    forecast_zone: str  # UGC, e.g. MSZ020
    county: str  # UGC, e.g. MSC081
    time_zone: str
    radar_station: str


@dataclass(frozen=True)
class Station:
    station_id: str
    name: str
    latitude: float | None
    longitude: float | None
    state: str = ""  # from the station's county zone (MSC081 -> MS), in state lists


@dataclass(frozen=True)
class Observation:
    """One station report, converted; any measurement may be None."""

    station_id: str
    station_name: str
    observed_at: datetime
    latitude: float | None
    longitude: float | None
    condition: str
    icon_code: str
    icon_symbol: str
    is_daytime: bool | None
    temperature_f: float | None
    dewpoint_f: float | None
    humidity: float | None
    wind_mph: float | None
    wind_gust_mph: float | None
    wind_direction: str
    nws_heat_index_f: float | None
    nws_wind_chill_f: float | None
    feels_like_f: float | None


@dataclass(frozen=True)
class ForecastPeriod:
    name: str
    start: datetime
    end: datetime
    is_daytime: bool
    temperature_f: int | None
    temperature_trend: str
    precipitation_chance: int | None
    wind: str  # "SE 5 to 10 mph", as the NWS words it
    short_forecast: str
    detailed_forecast: str
    icon_code: str
    icon_symbol: str

    def as_stored(self) -> dict:
        # Not dataclasses.asdict: its deep copies cost seconds over 50 cities' hourly periods.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat()
        return data

    @classmethod
    def from_stored(cls, data: dict) -> ForecastPeriod:
        values = dict(data)
        values["start"] = datetime.fromisoformat(values["start"])
        values["end"] = datetime.fromisoformat(values["end"])
        return cls(**values)


@dataclass(frozen=True)
class Forecast:
    generated_at: datetime | None
    updated_at: datetime | None
    periods: list[ForecastPeriod] = field(default_factory=list)


@dataclass(frozen=True)
class AlertMessage:
    """One message of the alerts stream: an Alert, or an Update or Cancel of earlier ones."""

    message_id: str
    event: str
    event_key: str  # VTEC office.phenomenon.significance.number, or the message id
    message_type: str  # Alert, Update, Cancel
    status: str  # Actual, Exercise, Test, ...
    severity: str
    urgency: str
    certainty: str
    headline: str
    description: str
    instruction: str
    area_desc: str
    ugc: list[str]
    same: list[str]
    references: list[str]
    sender_name: str
    sent: datetime
    effective: datetime | None
    onset: datetime | None
    expires: datetime | None
    ends: datetime | None
    web: str = ""
    vtec: tuple = ()  # alerts.Vtec codes of parameters.VTEC
    expired_references: tuple[str, ...] = ()  # ids named in parameters.expiredReferences
    replaced_at: datetime | None = None  # replacedAt, on messages the API knows replaced

    @property
    def finish(self) -> datetime | None:
        """When it stops applying: the event's end, else the product's expiry (as weather.gov)."""
        return self.ends or self.expires
