"""Writes of the weather desk: refresh cities from the NWS, apply the alerts stream, keep the
radar loop. Each keeps the last good data when the NWS fails, and says what failed."""

from newscast.weather.services.alerts import alerts_apply, alerts_refresh
from newscast.weather.services.radar import radar_refresh
from newscast.weather.services.refresh import RefreshReport, weather_refresh

__all__ = ["RefreshReport", "alerts_apply", "alerts_refresh", "radar_refresh", "weather_refresh"]
