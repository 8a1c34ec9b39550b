"""Weather jobs for the worker: conditions, forecasts and radar every 10 minutes (Home
Assistant's cadence); alerts every minute with If-Modified-Since, so a warning is on screen,
and a cancelled one gone, within a minute (weather.gov polls every 30 s)."""

from datetime import timedelta

from django.conf import settings

from newscast.core.http import FetchError
from newscast.core.jobs import periodic_job
from newscast.weather.services import alerts_refresh, radar_refresh, weather_refresh
from newscast.weather.services.alerts import AlertsError
from newscast.weather.services.stations import (
    StationListError,
    map_stations_refresh,
    station_list_due,
)

NWS_OFF = "NWS calls are off (NWS_ENABLED=false); the stored weather stays as it is."


class WeatherRefreshFailed(Exception):
    """Nothing at all could be refreshed; every city keeps its last good data."""


# Observations come every 10 minutes; three missed refreshes are stale.
@periodic_job(
    "weather_refresh", every="every 10 minutes", fresh_within=timedelta(minutes=30), minute="*/10"
)
def weather_refresh_job():
    if not settings.NWS_ENABLED:
        return NWS_OFF
    report = weather_refresh()
    try:
        radar = radar_refresh()
    except FetchError as exc:
        radar = f"Radar loop not refreshed: {exc}"
    if report.cities and not (report.reports_stored or report.forecasts_stored) and report.errors:
        # Recorded as a failure so /healthz and the admin show the outage.
        raise WeatherRefreshFailed(report.summary())
    return f"{report.summary()}\n{radar}"


# A warning cannot wait: five missed minutes are stale.
@periodic_job("weather_alerts", every="every minute", fresh_within=timedelta(minutes=5), minute="*")
def weather_alerts_job():
    if not settings.NWS_ENABLED:
        return NWS_OFF
    try:
        return alerts_refresh()
    except AlertsError as exc:
        raise WeatherRefreshFailed(f"Alerts not refreshed; the stored ones stay: {exc}") from exc


# The map's station list, asked hourly (read daily).
@periodic_job(
    "weather_stations", every="hourly at :17", fresh_within=timedelta(hours=3), minute="17"
)
def weather_stations_job():
    """The covered states' station list for the temperatures map, once a day. Asked every
    hour, it reads the list only when the last good one is a day old (or missing, or the
    last try failed), so a new site has its map within the hour and a failure is retried."""
    if not settings.NWS_ENABLED:
        return NWS_OFF
    if not station_list_due():
        return "The station list is under a day old; it stays."
    try:
        return map_stations_refresh()
    except StationListError as exc:
        message = f"Station list not refreshed; the last one stays: {exc}"
        raise WeatherRefreshFailed(message) from exc
