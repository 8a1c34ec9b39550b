"""The data desk: places, datasets of county counts, one row per county per day, load records."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator, slugify
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from newscast.core.models import County, State
from newscast.core.timefmt import station_datetime


class SourceFormat(models.TextChoices):
    NYT = "nyt", "New York Times covid-19-data county CSV"
    JHU = "jhu", "JHU CSSE daily report CSV"
    CSV = "csv", "Generic CSV (column mapping below)"


class Dataset(models.Model):
    """A county-level series of cumulative counts, loaded nightly from one source.

    Two measures per county per day: the first (confirmed cases) is required, the second
    (deaths) optional. Their labels are the editors' to set, so other cumulative counts fit.
    """

    name = models.CharField(max_length=100, help_text='As readers see it: "Coronavirus Cases".')
    slug = models.SlugField(unique=True, help_text="Used in URLs: /data/<slug>/.")
    description = models.TextField(blank=True)
    confirmed_label = models.CharField(max_length=40, default="Confirmed Cases")
    confirmed_short_label = models.CharField(max_length=20, default="Confirmed")
    deaths_label = models.CharField(max_length=40, default="Reported Deaths")
    deaths_short_label = models.CharField(max_length=20, default="Deaths")
    states = models.ManyToManyField(
        State,
        blank=True,
        help_text="States shown on /data/ and in the sidebar; empty means the station's "
        "covered states. Loads keep every state in the source.",
    )
    show_in_sidebar = models.BooleanField(
        default=True, help_text="Show this dataset's tables in the home and story sidebars."
    )
    is_sample = models.BooleanField(
        default=False, help_text='Sample data: every page that shows it says "Sample data".'
    )

    source_format = models.CharField(
        max_length=3, choices=SourceFormat.choices, default=SourceFormat.NYT
    )
    source_url = models.URLField(blank=True, max_length=500, help_text="Loaded nightly.")
    source_file = models.FileField(
        upload_to="datadesk/sources/", blank=True, help_text="Used when there is no URL."
    )
    nightly = models.BooleanField(default=True, help_text="Load the source every night.")
    load_hour = models.PositiveSmallIntegerField(
        default=2,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        help_text="Hour of the nightly load, in station time.",
    )
    max_rejected_share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=0.05,
        help_text="A load that rejects more than this share of its rows (0.05 = 5%) is "
        "refused whole, and the last good data stays served.",
    )

    count_ceiling = models.PositiveIntegerField(
        default=10_000_000,
        help_text="A county count above this is refused as a row (a misplaced digit, a "
        "state total in a county's place). The largest US county had under 4 million cases.",
    )
    carry_forward_days = models.PositiveSmallIntegerField(
        default=14,
        help_text="A county's last figure stands in for days it did not report for at most "
        'this many days; after that it is "not reported since" and left out of the totals.',
    )

    source_name = models.CharField(
        max_length=200, blank=True, help_text='Credited on every page: "The New York Times".'
    )
    source_link = models.URLField(blank=True, max_length=500, help_text="The source's page.")
    source_terms = models.CharField(
        max_length=300,
        blank=True,
        help_text='Licence or terms of use, as the source states them: "CC BY-NC 4.0".',
    )

    updated_at = models.DateTimeField(auto_now=True)

    # Generic CSV only: which column holds what.
    column_date = models.CharField(max_length=60, blank=True, default="date")
    date_format = models.CharField(
        max_length=30, blank=True, default="%Y-%m-%d", help_text="strftime codes."
    )
    column_state = models.CharField(max_length=60, blank=True, default="state")
    column_county = models.CharField(max_length=60, blank=True, default="county")
    column_fips = models.CharField(
        max_length=60, blank=True, default="fips", help_text="Optional; matched first."
    )
    column_confirmed = models.CharField(max_length=60, blank=True, default="confirmed")
    column_deaths = models.CharField(
        max_length=60, blank=True, default="deaths", help_text="Optional."
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")],
            heading="Dataset",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("confirmed_label"), FieldPanel("confirmed_short_label")]),
                FieldRowPanel([FieldPanel("deaths_label"), FieldPanel("deaths_short_label")]),
            ],
            heading="Measures",
        ),
        MultiFieldPanel(
            [
                FieldPanel("states", widget=forms.CheckboxSelectMultiple),
                FieldPanel("show_in_sidebar"),
                FieldPanel("is_sample"),
            ],
            heading="Where it shows",
        ),
        MultiFieldPanel(
            [FieldPanel("source_name"), FieldPanel("source_link"), FieldPanel("source_terms")],
            heading="Source credit",
        ),
        MultiFieldPanel(
            [
                FieldPanel("source_format"),
                FieldPanel("source_url"),
                FieldPanel("source_file"),
                FieldRowPanel([FieldPanel("nightly"), FieldPanel("load_hour")]),
                FieldPanel("max_rejected_share"),
                FieldRowPanel([FieldPanel("count_ceiling"), FieldPanel("carry_forward_days")]),
            ],
            heading="Source and schedule",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("column_date"), FieldPanel("date_format")]),
                FieldRowPanel([FieldPanel("column_state"), FieldPanel("column_county")]),
                FieldPanel("column_fips"),
                FieldRowPanel([FieldPanel("column_confirmed"), FieldPanel("column_deaths")]),
            ],
            heading="Generic CSV column mapping",
            classname="collapsed",
        ),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"/data/{self.slug}/"

    def clean(self):
        """An uploaded source file over DATADESK_MAX_SOURCE_BYTES is refused, as a URL would be."""
        super().clean()
        cap = settings.DATADESK_MAX_SOURCE_BYTES
        if self.source_file and self.source_file.size > cap:
            raise ValidationError(
                {"source_file": f"This file is over the {cap:,}-byte cap for one source."}
            )

    @property
    def source(self) -> str:
        """The URL or stored file path the nightly job loads, or "" if none is set."""
        if self.source_url:
            return self.source_url
        return self.source_file.path if self.source_file else ""

    @property
    def column_mapping(self) -> dict[str, str]:
        return {
            "date": self.column_date,
            "state": self.column_state,
            "county": self.column_county,
            "fips": self.column_fips,
            "confirmed": self.column_confirmed,
            "deaths": self.column_deaths,
        }


class CountyDay(models.Model):
    """Cumulative counts for one county on one day, as the source last gave them."""

    # Bulk loads write millions of these rows, so the database checks as little per row as
    # it can (docs/decisions/datadesk-storage.md): no single-column FK indexes (the two
    # composite indexes below lead with dataset and serve every read) and no database FK
    # constraints (county and state ids come from the reference table the load matched
    # against; Django still applies on_delete). PostgreSQL's FK triggers would otherwise
    # take a row lock on the parent for every row inserted.
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="days", db_index=False, db_constraint=False
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="days", db_index=False, db_constraint=False
    )
    # Denormalised from county: state pages sum a state's counties per day without a join.
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    date = models.DateField()
    confirmed = models.PositiveIntegerField()
    deaths = models.PositiveIntegerField(null=True, blank=True)
    revised_down = models.BooleanField(
        default=False,
        help_text="A cumulative count lower than the county's day before: kept as the "
        "source's correction, flagged for the desk.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "county", "date"], name="datadesk_one_row_per_county_day"
            )
        ]
        indexes = [models.Index(fields=["dataset", "state", "date"], name="datadesk_state_day")]
        verbose_name = "county day"

    def __str__(self):
        return f"{self.county} {self.date}: {self.confirmed}"


class StateDay(models.Model):
    """A state's own reported totals on one day, from a state-level file (the NYT's
    us-states.csv, JHU's daily US report): when present they are the state's totals."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="state_days")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    confirmed = models.PositiveIntegerField()
    deaths = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "state", "date"], name="datadesk_one_row_per_state_day"
            )
        ]
        verbose_name = "state day"

    def __str__(self):
        return f"{self.state} {self.date}: {self.confirmed}"


# A queued "Load now" normally starts within seconds; one still waiting after this was lost
# (the queue was flushed, the worker is down or was never started): the admin and /healthz
# say so, since nothing else would.
QUEUED_LOAD_LIMIT = timedelta(minutes=15)
LOST_LABEL = "Lost — never started"


class LoadRun(models.Model):
    """One load of a source into a dataset: what came in, what changed, what was rejected."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCESS = "success", "Loaded"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed"
        # Stopped before it finished (killed, or the machine went down). On PostgreSQL nothing
        # was written; on SQLite the rows of the finished write transactions stay, and
        # loading the same source again completes them (docs/decisions/datadesk-strict-loads.md).
        INTERRUPTED = "interrupted", "Interrupted"
        # An editor's "Load now", waiting for the jobs worker; it becomes running when a
        # worker takes it. Still queued after QUEUED_LOAD_LIMIT: shown as lost.
        QUEUED = "queued", "Queued"

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="loads")
    source = models.CharField(max_length=1000)
    source_format = models.CharField(max_length=3, choices=SourceFormat.choices)
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the source.")
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text='When "Load now" queued it (empty for other loads).'
    )
    started_at = models.DateTimeField(help_text="When a worker began it (or queued it, if not).")
    finished_at = models.DateTimeField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True, help_text="Seconds.")
    outcome = models.CharField(max_length=11, choices=Outcome.choices, default=Outcome.RUNNING)
    host = models.CharField(max_length=255, blank=True, help_text="Machine that ran the load.")
    pid = models.PositiveIntegerField(null=True, blank=True, help_text="Its process id.")
    message = models.TextField(blank=True, help_text="Why a load was refused or failed.")
    rows_read = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(
        default=0, help_text="Rows outside the United States (JHU reports are worldwide)."
    )
    rows_added = models.PositiveIntegerField(default=0)
    rows_changed = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_revised_down = models.PositiveIntegerField(
        default=0, help_text="Rows whose cumulative count fell from the day before."
    )
    rejection_counts = models.JSONField(default=dict, blank=True)
    rejections = models.JSONField(
        default=list, blank=True, help_text="The first rejected rows: line, reason, detail."
    )
    corrections = models.JSONField(
        default=list, blank=True, help_text="Counts that fell from the day before."
    )
    warning_counts = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(
        default=list,
        blank=True,
        help_text="Rows kept but worth a look (deaths above confirmed, confirmed above the "
        "population) and counties that reported the day before the last day but not on it.",
    )
    first_date = models.DateField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        constraints = [
            # Two loads of one dataset at once would each compare against rows the other is
            # replacing; the second is refused (services.run_start).
            models.UniqueConstraint(
                fields=["dataset"],
                condition=models.Q(outcome="running"),
                name="datadesk_one_running_load",
            )
        ]

    def __str__(self):
        return f"{self.dataset} load {self.started_at:%Y-%m-%d %H:%M} ({self.outcome})"

    @property
    def succeeded(self) -> bool:
        return self.outcome == self.Outcome.SUCCESS

    @property
    def lost(self) -> bool:
        """Queued by "Load now" and never taken by a worker within QUEUED_LOAD_LIMIT."""
        if self.outcome != self.Outcome.QUEUED:
            return False
        return (self.queued_at or self.started_at) < timezone.now() - QUEUED_LOAD_LIMIT

    # Columns of the admin's Data loads list (newscast/datadesk/wagtail_hooks.py).

    @admin.display(description="Started")
    def started(self) -> str:
        return station_datetime(self.started_at)

    def get_outcome_display(self) -> str:
        """The outcome's label, or "Lost — never started" for a queued load no worker took
        (the load's admin page shows it so)."""
        return LOST_LABEL if self.lost else str(self.Outcome(self.outcome).label)

    @admin.display(description="Outcome")
    def status(self) -> str:
        return self.get_outcome_display()

    @admin.display(description="Source")
    def source_name(self) -> str:
        """The file name or the URL's last part: the full address is on the load's page."""
        name = self.source.rstrip("/").rsplit("/", 1)[-1]
        return name or self.source

    @admin.display(description="Reason")
    def reason(self) -> str:
        """Why it was refused or failed, shortened for the list."""
        return Truncator(self.message).chars(120)

    @admin.display(description="Warnings")
    def warnings_count(self) -> int:
        """Rows kept but flagged, and vanished-county notes (see the load's page)."""
        return sum(self.warning_counts.values())

    @admin.display(description="Duration")
    def duration_seconds(self) -> str:
        return "" if self.duration is None else f"{self.duration:.2f} s"
