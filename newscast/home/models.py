"""The station itself (identity, time zone, covered states, weather cities) and its home page."""

import hashlib
import operator
import zoneinfo
from functools import partial

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, Page, Site

from newscast.news.fragments import (
    FRAGMENT_CACHE_SECONDS,
    CachedViewRestrictionsMixin,
    content_version_for,
    page_served,
)

US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
    ("DC", "District of Columbia"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"),
    ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"),
    ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
    ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"),
    ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"),
    ("WI", "Wisconsin"), ("WY", "Wyoming"),
]  # fmt: skip


def validate_time_zone(name: str) -> None:
    """Refuse a name the IANA database does not know: every page's times depend on it."""
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"{name!r} is not an IANA time zone (for example America/Chicago).")


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
    ]

    class Meta:
        verbose_name = "Station settings"

    def __str__(self):
        return self.station_name

    @classmethod
    def for_request(cls, request):
        """Wagtail's per-request lookup, with the row cached under the content version.

        Every page reads these settings (the title, the header); a save moves the version
        (newscast/news/signals.py), so an edit shows on the next request in every process.
        """
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        key = f"home:station-settings:{site.pk}:{content_version_for(request)}"
        station = cache.get(key)
        if station is None:
            station = cls.for_site(site)
            cache.set(key, station, FRAGMENT_CACHE_SECONDS)
        station._request = request  # as Wagtail does, for cheaper page URLs
        setattr(request, attr_name, station)
        return station

    def covered_state_codes(self) -> list[str]:
        """Postal codes of the covered states, in the order the editors set."""
        return [state.postal_code for state in self.covered_states.all()]


class CoveredState(Orderable):
    """A state whose data tables and alerts the station carries."""

    station = ParentalKey(StationSettings, on_delete=models.CASCADE, related_name="covered_states")
    postal_code = models.CharField(max_length=2, choices=US_STATES)

    panels = [FieldPanel("postal_code")]

    class Meta(Orderable.Meta):
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
        verbose_name_plural = "weather cities"

    def __str__(self):
        return f"{self.name}, {self.state}"


class HomePage(CachedViewRestrictionsMixin, Page):
    """The front page: a lead story and top stories curated by editors, then the latest."""

    lead_story = models.ForeignKey(
        "news.StoryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The story at the top. Blank shows the newest story.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("lead_story"),
        InlinePanel("top_stories", heading="Top stories", label="Story", max_num=8),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        """Find a section (/local/) or a story (/local/<slug>/) in one query, or none.

        Wagtail walks the tree one level at a time, two queries a level (the child, then its
        specific page); sections and stories are always at the same depths below the home
        page, so their address is looked up directly (slug is indexed; url_path confirms the
        whole address), and the page found is kept in the cache under the content version
        (any publish, unpublish, move or delete moves it). Anything else, and every miss,
        goes the usual way.
        """
        page = self._section_or_story_at(path_components, content_version_for(request))
        if page is not None:
            # Wagtail's own check (live, else 404), then cached view restrictions.
            result = page.route(request, [])
            page_served(result.page, request)
            return result
        result = super().route(request, path_components)
        if result.page is self:
            page_served(self, request)
        return result

    def _section_or_story_at(self, path_components, version: int):
        from newscast.news.models import SectionPage, StoryPage

        model = {1: SectionPage, 2: StoryPage}.get(len(path_components))
        if model is None:
            return None
        url_path = self.url_path + "/".join(path_components) + "/"
        digest = hashlib.md5(url_path.encode(), usedforsecurity=False).hexdigest()
        key = f"home:route:{version}:{digest}"
        page = cache.get(key)
        if page is None:
            page = (
                model.objects.filter(
                    slug=path_components[-1],
                    depth=self.depth + len(path_components),
                    url_path=url_path,
                )
                .order_by()
                .first()
            )
            if page is not None:  # misses (404 probes) are not kept
                cache.set(key, page, FRAGMENT_CACHE_SECONDS)
        return page

    def get_context(self, request, *args, **kwargs):
        from newscast.news.selectors import front_page_for

        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template's cached fragment holds the lists, so a warm request never asks
        # the database for them (newscast/news/fragments.py).
        front = SimpleLazyObject(lambda: front_page_for(self))
        for name in ("lead_story", "top_stories", "latest_stories"):
            context[name] = SimpleLazyObject(partial(operator.getitem, front, name))
        return context


class HomeTopStory(Orderable):
    """One curated slot under the lead story, in the editors' order."""

    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="top_stories")
    story = models.ForeignKey("news.StoryPage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("story")]

    class Meta(Orderable.Meta):
        verbose_name = "top story"
