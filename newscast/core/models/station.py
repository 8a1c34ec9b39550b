"""The station itself: identity, time zone, covered states, weather cities, live stream and the
links a broadcaster must publish. Every desk reads its area from here.

The tables keep the names they had when these models lived in the home app (db_table), so
moving them into the kernel moved no data (docs/decisions/core-one-way-layers.md).
"""

import copy
import zoneinfo
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, Site

from newscast.core.models.content import content_version_for
from newscast.core.states import US_STATES
from newscast.core.validators import video_address_validate
from newscast.core.versioned_cache import versioned_get, versioned_set


def validate_time_zone(name: str) -> None:
    """Refuse a name the IANA database does not know: every page's times depend on it."""
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"{name!r} is not an IANA time zone (for example America/Chicago).")


def site_link_validate(value: str) -> None:
    """A page on this site ("/about/"), an https:// address, or a mailto: address."""
    if value.startswith("/") and not value.startswith("//"):
        return
    if value.startswith("mailto:"):
        EmailValidator()(value.removeprefix("mailto:").split("?")[0])
        return
    if not value.startswith("https://"):
        raise ValidationError(
            "Use a path on this site starting with /, an https:// address or mailto:."
        )
    URLValidator(schemes=["https"])(value)


def _link(verbose_name: str, help_text: str = "") -> models.CharField:
    return models.CharField(
        max_length=500,
        blank=True,
        validators=[site_link_validate],
        verbose_name=verbose_name,
        help_text=help_text or "A page on this site (/about/), an https:// or mailto: address.",
    )


# The links a broadcaster publishes on every page, in the footer's order (label, field).
REQUIRED_LINKS = [
    ("FCC public file", "fcc_public_file_url"),
    ("EEO public file report", "eeo_report_url"),
    ("Contest rules", "contest_rules_url"),
    ("Privacy policy", "privacy_url"),
    ("Terms of use", "terms_url"),
    ("Contact us", "contact_url"),
    ("About us", "about_url"),
    ("Send us a news tip", "news_tip_url"),
]


@register_setting(icon="site")
class StationSettings(ClusterableModel, BaseSiteSetting):
    """Who the station is and what it covers; every desk reads its area from here."""

    station_name = models.CharField(max_length=100, default="Newscast Station")
    call_sign = models.CharField(max_length=10, default="NEWS", help_text="For example WTVA.")
    tagline = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(
        max_length=64,
        default="America/Chicago",
        validators=[validate_time_zone],
        help_text="IANA time zone that every page shows its times in.",
    )
    radar_site = models.CharField(
        max_length=4, default="KGWX", help_text="NWS radar (NEXRAD) site id, for example KGWX."
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="In the page header instead of the call sign; a wide PNG, 48 px high or more.",
    )

    live_stream_url = models.CharField(
        max_length=1000,
        blank=True,
        validators=[video_address_validate],
        verbose_name="live stream (HLS)",
        help_text="The station's live .m3u8 stream, shown on /live/ (https:// address).",
    )
    live_stream_captioned = models.BooleanField(
        default=True,
        help_text="The stream carries the on-air closed captions (CEA-608/708) viewers can "
        "turn on in the player.",
    )

    # What a broadcaster must publish (FCC): the online public file (47 CFR 73.3526), its
    # EEO report (47 CFR 73.2080), and closed-captioning contacts (47 CFR 79.1(i)).
    fcc_public_file_url = models.URLField(
        blank=True,
        verbose_name="FCC online public file",
        help_text="The station's page on publicfiles.fcc.gov.",
    )
    eeo_report_url = _link("EEO public file report")
    contest_rules_url = _link("Contest rules")
    privacy_url = _link("Privacy policy")
    terms_url = _link("Terms of use")
    contact_url = _link("Contact us")
    about_url = _link("About us")
    news_tip_url = _link("Send us a news tip")
    captioning_immediate_name = models.CharField(
        max_length=200,
        blank=True,
        verbose_name="name",
        help_text="Who answers immediate closed-captioning concerns (47 CFR 79.1(i)(1)).",
    )
    captioning_immediate_phone = models.CharField(max_length=40, blank=True, verbose_name="phone")
    captioning_immediate_email = models.EmailField(blank=True, verbose_name="email")
    captioning_written_name = models.CharField(
        max_length=200,
        blank=True,
        verbose_name="name and title",
        help_text="Who receives written closed-captioning complaints (47 CFR 79.1(i)(2)).",
    )
    captioning_written_address = models.TextField(blank=True, verbose_name="postal address")
    captioning_written_phone = models.CharField(max_length=40, blank=True, verbose_name="phone")
    captioning_written_email = models.EmailField(blank=True, verbose_name="email")

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("station_name"),
                FieldPanel("call_sign"),
                FieldPanel("tagline"),
                FieldPanel("logo"),
            ],
            heading="Identity",
        ),
        FieldPanel("time_zone"),
        InlinePanel("covered_states", heading="Covered states", label="State"),
        InlinePanel("weather_cities", heading="Weather cities", label="City"),
        FieldPanel("radar_site"),
        MultiFieldPanel(
            [
                FieldPanel("live_stream_url"),
                FieldPanel("live_stream_captioned"),
                InlinePanel("on_air_slots", heading="On-air schedule", label="Newscast"),
            ],
            heading="Live",
        ),
        MultiFieldPanel(
            [FieldPanel("fcc_public_file_url")]
            + [FieldPanel(field) for _, field in REQUIRED_LINKS[1:]],
            heading="Links every page shows (public file, policies, contact)",
        ),
        MultiFieldPanel(
            [
                FieldPanel("captioning_immediate_name"),
                FieldPanel("captioning_immediate_phone"),
                FieldPanel("captioning_immediate_email"),
            ],
            heading="Closed captioning: immediate concerns",
        ),
        MultiFieldPanel(
            [
                FieldPanel("captioning_written_name"),
                FieldPanel("captioning_written_address"),
                FieldPanel("captioning_written_phone"),
                FieldPanel("captioning_written_email"),
            ],
            heading="Closed captioning: written complaints",
        ),
    ]

    class Meta:
        db_table = "home_stationsettings"
        verbose_name = "Station settings"

    def __str__(self):
        return self.station_name

    @classmethod
    def for_request(cls, request):
        """Wagtail's per-request lookup, with the row cached under the content version.

        Every page reads these settings (the title, the header); a save moves the version
        (newscast/core/signals.py), so an edit shows on the next request in every process.
        """
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        key = f"core:station-settings:{site.pk}:{content_version_for(request)}"
        station = versioned_get(key)
        if station is None:
            station = cls.for_site(site)
            # The header's LIVE mark reads the schedule, and the desks' widgets the covered
            # states, on every page: keep both with the row.
            prefetch_related_objects([station], "on_air_slots", "covered_states")
            versioned_set(key, station)
        station = copy.copy(station)  # its own for this request (the shared one is kept)
        station._request = request  # as Wagtail does, for cheaper page URLs
        setattr(request, attr_name, station)
        return station

    def required_links(self) -> list[tuple[str, str]]:
        """(label, address) of the broadcaster's links that are set, in the footer's order."""
        links = [(label, getattr(self, field)) for label, field in REQUIRED_LINKS]
        return [(label, address) for label, address in links if address]

    def captioning_contacts_missing(self) -> list[str]:
        """What the captioning contacts lack: a name and a phone or email for immediate
        concerns, a name and an address or email for written complaints (47 CFR 79.1(i))."""
        missing = []
        if not self.captioning_immediate_name or not (
            self.captioning_immediate_phone or self.captioning_immediate_email
        ):
            missing.append("immediate concerns (name, and phone or email)")
        if not self.captioning_written_name or not (
            self.captioning_written_address or self.captioning_written_email
        ):
            missing.append("written complaints (name, and postal address or email)")
        return missing

    def on_air_now(self, now=None):
        """The newscast on air now (station time), or None."""
        local_now = timezone.localtime(now or timezone.now(), ZoneInfo(self.time_zone))
        for slot in self.on_air_slots.all():
            if slot.is_on_air(local_now):
                return slot
        return None

    def covered_state_codes(self) -> list[str]:
        """Postal codes of the covered states, in the order the editors set."""
        return [state.postal_code for state in self.covered_states.all()]


class OnAirSlot(Orderable):
    """A newscast the station streams live: a weekday and its start and end, station time."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    station = ParentalKey(StationSettings, on_delete=models.CASCADE, related_name="on_air_slots")
    weekday = models.IntegerField(choices=Weekday.choices)
    starts_at = models.TimeField(help_text="Station time.")
    ends_at = models.TimeField(help_text="Station time; a show past midnight ends the next day.")
    title = models.CharField(max_length=100, help_text='For example "News at 6".')

    panels = [
        FieldPanel("weekday"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("title"),
    ]

    class Meta(Orderable.Meta):
        db_table = "home_onairslot"
        verbose_name = "on-air newscast"

    def __str__(self):
        return f"{self.title} ({self.get_weekday_display()} {self.starts_at:%H:%M})"

    def clean(self):
        if self.starts_at is not None and self.starts_at == self.ends_at:
            raise ValidationError({"ends_at": "A newscast must end at another time than it starts"})

    def is_on_air(self, local_now) -> bool:
        """True while this newscast is on at local_now (an aware time in the station's zone)."""
        clock = local_now.time()
        today = local_now.weekday()
        if self.starts_at < self.ends_at:
            return self.weekday == today and self.starts_at <= clock < self.ends_at
        # Past midnight: the start's evening, or the next morning until the end.
        return (self.weekday == today and clock >= self.starts_at) or (
            (self.weekday + 1) % 7 == today and clock < self.ends_at
        )


class CoveredState(Orderable):
    """A state whose data tables and alerts the station carries."""

    station = ParentalKey(StationSettings, on_delete=models.CASCADE, related_name="covered_states")
    postal_code = models.CharField(max_length=2, choices=US_STATES)

    panels = [FieldPanel("postal_code")]

    class Meta(Orderable.Meta):
        db_table = "home_coveredstate"
        constraints = [
            models.UniqueConstraint(fields=["station", "postal_code"], name="unique_covered_state")
        ]

    def __str__(self):
        return self.get_postal_code_display()


class WeatherCity(Orderable):
    """A city in the weather block, by name and coordinates (NWS takes at most 4 decimals)."""

    station = ParentalKey(StationSettings, on_delete=models.CASCADE, related_name="weather_cities")
    name = models.CharField(max_length=100)
    state = models.CharField(max_length=2, choices=US_STATES)
    latitude = models.DecimalField(max_digits=7, decimal_places=4)
    longitude = models.DecimalField(max_digits=8, decimal_places=4)

    panels = [
        FieldPanel("name"),
        FieldPanel("state"),
        FieldPanel("latitude"),
        FieldPanel("longitude"),
    ]

    class Meta(Orderable.Meta):
        db_table = "home_weathercity"
        verbose_name_plural = "weather cities"

    def __str__(self):
        return f"{self.name}, {self.state}"
