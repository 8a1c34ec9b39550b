"""What the weather desk keeps: each city's grid, last good conditions and forecast, station
reports for the temperatures map, the alerts stream, the radar loop, and what news pages at
the edge last showed of the weather. Every part records when it was fetched and whether it is
sample data, so pages can show its age honestly.
"""

from django.db import models

from newscast.weather import alerts


class StationReport(models.Model):
    """The last good observation of one NWS station (converted to degF, mph)."""

    station_id = models.CharField(max_length=10, unique=True, help_text="NWS station, e.g. KTUP.")
    name = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    observed_at = models.DateTimeField(help_text="The report's timestamp (NWS `timestamp`).")
    fetched_at = models.DateTimeField()
    condition = models.CharField(max_length=100, blank=True)
    icon_symbol = models.CharField(max_length=20, blank=True)
    is_daytime = models.BooleanField(null=True)
    temperature_f = models.FloatField(null=True, blank=True)
    dewpoint_f = models.FloatField(null=True, blank=True)
    humidity = models.FloatField(null=True, blank=True, help_text="Relative humidity, %.")
    wind_mph = models.FloatField(null=True, blank=True)
    wind_gust_mph = models.FloatField(null=True, blank=True)
    wind_direction = models.CharField(max_length=3, blank=True)
    feels_like_f = models.FloatField(null=True, blank=True)
    is_sample = models.BooleanField(default=False)

    class Meta:
        ordering = ["station_id"]

    def __str__(self):
        return f"{self.station_id} at {self.observed_at:%Y-%m-%d %H:%M}Z"


class CityWeather(models.Model):
    """One weather city's NWS grid (resolved from /points), its report and its forecast."""

    city = models.OneToOneField(
        "core.WeatherCity", on_delete=models.CASCADE, related_name="weather"
    )
    # The /points answer (forecast office and grid), redone daily or when the city moves:
    # the grid behind a point can change (https://www.weather.gov/documentation/services-web-api).
    resolved_latitude = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    resolved_longitude = models.DecimalField(max_digits=8, decimal_places=4, null=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    grid_id = models.CharField(max_length=4, blank=True, help_text="Forecast office, e.g. MEG.")
    grid_x = models.IntegerField(null=True, blank=True)
    grid_y = models.IntegerField(null=True, blank=True)
    forecast_path = models.CharField(max_length=200, blank=True)
    hourly_path = models.CharField(max_length=200, blank=True)
    stations_path = models.CharField(max_length=200, blank=True)
    forecast_zone = models.CharField(max_length=6, blank=True, help_text="UGC, e.g. MSZ020.")
    county = models.CharField(max_length=6, blank=True, help_text="County UGC, e.g. MSC081.")
    time_zone = models.CharField(max_length=64, blank=True)
    radar_station = models.CharField(max_length=4, blank=True)
    station_ids = models.JSONField(default=list, blank=True, help_text="Nearest first.")

    report = models.ForeignKey(
        StationReport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The station report the weather block shows for this city.",
    )

    periods = models.JSONField(default=list, blank=True, help_text="12-hour forecast periods.")
    forecast_generated_at = models.DateTimeField(null=True, blank=True)
    forecast_fetched_at = models.DateTimeField(null=True, blank=True)
    forecast_expires_at = models.DateTimeField(null=True, blank=True)
    forecast_last_modified = models.CharField(max_length=40, blank=True)
    hourly = models.JSONField(default=list, blank=True, help_text="The next hours, hourly.")
    hourly_fetched_at = models.DateTimeField(null=True, blank=True)
    hourly_expires_at = models.DateTimeField(null=True, blank=True)
    forecast_is_sample = models.BooleanField(default=False)

    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "city weather"

    def __str__(self):
        return f"Weather for {self.city}"


class AlertMessage(models.Model):
    """One message of the NWS alerts stream (Alert, Update or Cancel), kept until it ends.

    Later messages of the same VTEC event, and Updates and Cancels that reference it, take
    counties/zones (UGC codes) off it (`cancelled_ugc`); see newscast.weather.alerts. A message
    is in force while some code is left, from its effective time until it ends or is replaced.
    """

    message_id = models.CharField(max_length=255, unique=True)
    event = models.CharField(max_length=100)
    event_key = models.CharField(max_length=255, db_index=True, help_text="VTEC event id.")
    message_type = models.CharField(max_length=10)
    severity = models.CharField(max_length=10)
    urgency = models.CharField(max_length=10)
    certainty = models.CharField(max_length=10)
    headline = models.TextField(blank=True)
    description = models.TextField(blank=True)
    instruction = models.TextField(blank=True)
    area_desc = models.TextField(blank=True)
    ugc = models.JSONField(default=list)
    same = models.JSONField(default=list)
    references = models.JSONField(default=list)
    sender_name = models.CharField(max_length=200, blank=True)
    web = models.URLField(max_length=500, blank=True)
    sent = models.DateTimeField()
    effective = models.DateTimeField(null=True, blank=True)
    onset = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(null=True, blank=True)
    ends = models.DateTimeField(null=True, blank=True)
    finish = models.DateTimeField(null=True, blank=True, db_index=True, help_text="ends or expires")
    vtec = models.JSONField(
        default=list, blank=True, help_text="[action, event key] of each parameters.VTEC code."
    )
    expired_references = models.JSONField(
        default=list, blank=True, help_text="Ids named in parameters.expiredReferences."
    )
    replaced_at = models.DateTimeField(
        null=True, blank=True, help_text="NWS replacedAt, from the message or /alerts/{id}."
    )
    looked_up_at = models.DateTimeField(
        null=True, blank=True, help_text="When /alerts/{id} was asked after it left the feed."
    )
    superseded = models.BooleanField(default=False)
    cancelled_ugc = models.JSONField(
        default=list, blank=True, help_text="Codes later messages have taken or cancelled."
    )
    in_force = models.BooleanField(
        default=False, db_index=True, help_text="Not superseded, cancelled or itself a Cancel."
    )
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    is_sample = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent"]

    def __str__(self):
        return f"{self.event} ({self.message_type}) {self.sent:%Y-%m-%d %H:%M}"

    # What pages show and match: only the areas no Cancel has struck.
    @property
    def areas_in_force(self) -> str:
        return alerts.areas_left(self.area_desc, self.ugc, self.cancelled_ugc)

    @property
    def ugc_in_force(self) -> list[str]:
        return alerts.ugc_left(self.ugc, self.cancelled_ugc)

    @property
    def same_in_force(self) -> list[str]:
        return alerts.same_left(self.same, self.cancelled_ugc)


class AlertsFeed(models.Model):
    """How the poll of one /alerts/active address went: its Last-Modified, for the next
    If-Modified-Since, and when it last answered (shown on the alerts page and /healthz)."""

    path = models.CharField(max_length=300, unique=True)
    last_modified = models.CharField(max_length=40, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True, help_text="Last successful poll.")
    changed_at = models.DateTimeField(null=True, blank=True, help_text="Last 200 answer.")
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Alerts feed {self.path}"


class EdgeDigest(models.Model):
    """What news pages kept at the edge last showed of one part of the weather, as a digest of
    its rendering: weather/edge.py renews those pages only when the part's digest changes.

    Kept in the database, not the cache: a Redis outage or eviction reads as a miss, and a
    miss would renew pages at every refresh (a site-wide purge every 10 minutes, exactly
    while the site is already degraded)."""

    class Part(models.TextChoices):
        BANNER = "banner", "Warnings banner"
        CONDITIONS = "conditions", "Conditions (widget and strip)"

    part = models.CharField(max_length=20, choices=Part.choices, unique=True)
    digest = models.CharField(max_length=32, help_text="MD5 of the part as pages draw it.")
    changed_at = models.DateTimeField(help_text="When pages were last renewed for this part.")

    def __str__(self):
        return f"{self.get_part_display()} at the edge, changed {self.changed_at:%Y-%m-%d %H:%M}Z"


class RadarLoop(models.Model):
    """The last good copy of a radar site's RIDGE loop, and how the last try went."""

    site = models.CharField(max_length=4, unique=True)
    image = models.BinaryField(null=True, blank=True, editable=False)
    content_type = models.CharField(max_length=50, blank=True)
    last_modified = models.DateTimeField(null=True, blank=True, help_text="NWS Last-Modified.")
    fetched_at = models.DateTimeField(null=True, blank=True)
    last_try_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    is_sample = models.BooleanField(
        default=False, help_text="The demo's drawn loop, not radar data; a live loop replaces it."
    )

    def __str__(self):
        return f"Radar loop {self.site}"


class MapStation(models.Model):
    """An NWS observation station in a covered state, from the daily /stations?state=...
    list: the temperatures map asks each for its latest report every 10 minutes."""

    station_id = models.CharField(max_length=10, unique=True, help_text="NWS station, e.g. KTUP.")
    name = models.CharField(max_length=200)
    state = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    listed_at = models.DateTimeField(help_text="When the NWS station list last named it.")
    is_sample = models.BooleanField(default=False)

    class Meta:
        ordering = ["station_id"]

    def __str__(self):
        return f"{self.station_id} {self.name}"
