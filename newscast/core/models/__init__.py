"""The kernel's records, which every desk reads: the station, its places, the content
version, and the runs of scheduled jobs."""

from newscast.core.models.content import ContentVersion
from newscast.core.models.geography import UNASSIGNED_BASE, County, State
from newscast.core.models.jobs import JobRun
from newscast.core.models.station import (
    REQUIRED_LINKS,
    CoveredState,
    OnAirSlot,
    StationSettings,
    WeatherCity,
    site_link_validate,
    validate_time_zone,
)

__all__ = [
    "REQUIRED_LINKS",
    "UNASSIGNED_BASE",
    "ContentVersion",
    "County",
    "CoveredState",
    "JobRun",
    "OnAirSlot",
    "State",
    "StationSettings",
    "WeatherCity",
    "site_link_validate",
    "validate_time_zone",
]
