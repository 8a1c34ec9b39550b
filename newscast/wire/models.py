"""Wire feeds, the items they bring, and each version of an item as it arrived."""

from __future__ import annotations

from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from newscast.news.services import story_sitemap_listing_set


class WireFeed(models.Model):
    """One syndicated source: where to fetch it, where its stories go, and how it last went."""

    class Format(models.TextChoices):
        AUTO = "auto", "Detect"
        SYNDICATION = "syndication", "RSS or Atom"
        NINJS = "ninjs", "IPTC ninjs (JSON)"

    class Policy(models.TextChoices):
        PUBLISH = "publish", "Publish automatically"
        HOLD = "hold", "Hold for an editor"

    name = models.CharField(max_length=100, unique=True, help_text="As the newsroom calls it.")
    url = models.URLField(max_length=1000, verbose_name="feed URL")
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.AUTO)
    credit_line = models.CharField(
        max_length=100, help_text='Shown on every story from this feed, for example "CNN".'
    )
    section = models.ForeignKey(
        "news.SectionPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where this feed's stories go.",
    )
    default_tags = models.CharField(
        max_length=255, blank=True, help_text="Comma-separated tags given to every story."
    )
    poll_interval = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
        help_text="Minutes between polls (1 to 1440).",
    )
    policy = models.CharField(max_length=10, choices=Policy.choices, default=Policy.PUBLISH)
    active = models.BooleanField(default=True, help_text="Inactive feeds are not polled.")
    list_in_sitemaps = models.BooleanField(
        default=False,
        verbose_name="List agency copies in sitemaps",
        help_text="Off: this feed's stories, whose canonical address is the agency's, stay out "
        "of the sitemaps (search engines credit the agency). On: they are listed like ours.",
    )

    # Poll status, written by the poller only.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    body_hash = models.CharField(
        max_length=64, blank=True, editable=False, help_text="SHA-256 of the last feed file read."
    )
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    items_seen = models.PositiveIntegerField(
        default=0, editable=False, help_text="Items in the last feed read."
    )
    last_result = models.CharField(max_length=500, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("format"), FieldPanel("credit_line")]),
        MultiFieldPanel(
            [FieldPanel("section"), FieldPanel("default_tags"), FieldPanel("policy")],
            heading="Where stories go",
        ),
        FieldPanel("list_in_sitemaps"),
        FieldRowPanel([FieldPanel("poll_interval"), FieldPanel("active")]),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "wire feed"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Validators belong to the old address: a new URL starts with an unconditional GET.
        loaded = getattr(self, "_loaded_url", None)
        if loaded is not None and loaded != self.url and kwargs.get("update_fields") is None:
            self.etag = self.last_modified = self.body_hash = ""
        super().save(*args, **kwargs)
        self._loaded_url = self.url
        listed = getattr(self, "_loaded_list_in_sitemaps", None)
        if listed is not None and listed != self.list_in_sitemaps:
            self.stories_sitemap_listing_apply()
        self._loaded_list_in_sitemaps = self.list_in_sitemaps

    @classmethod
    def from_db(cls, db, field_names, values):
        feed = super().from_db(db, field_names, values)
        feed._loaded_url = feed.__dict__.get("url")
        feed._loaded_list_in_sitemaps = feed.__dict__.get("list_in_sitemaps")
        return feed

    def stories_sitemap_listing_apply(self) -> int:
        """Give the stories this feed made its sitemap setting; returns how many changed."""
        story_ids = self.items.exclude(story=None).values_list("story_id", flat=True)
        return story_sitemap_listing_set(story_ids, listed=self.list_in_sitemaps)

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.default_tags.split(",") if t.strip()]

    def is_due(self, now=None) -> bool:
        if not self.active:
            return False
        if self.last_polled_at is None:
            return True
        now = now or timezone.now()
        # A few seconds' slack so a one-minute feed polled by a one-minute job is not skipped.
        return now - self.last_polled_at >= timedelta(minutes=self.poll_interval, seconds=-5)

    @property
    def healthy(self) -> bool:
        return not self.last_error

    @property
    def status_line(self) -> str:
        """One line for the feed list: the last error in plain words, or the last result."""
        if not self.active:
            return "Paused"
        if self.last_error:
            return f"Failing: {self.last_error}"
        return self.last_result or "Not polled yet"


class WireItem(models.Model):
    """One story the wire sent, followed through its versions; at most one story page."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for an editor"
        PUBLISHED = "published", "On the site"
        SCHEDULED = "scheduled", "Embargoed (scheduled)"
        UPDATE_WAITING = "update_waiting", "Edited here; wire update waiting"
        HELD = "held", "Held"
        KILLED = "killed", "Killed"
        WITHDRAWN = "withdrawn", "Withdrawn by the source"

    feed = models.ForeignKey(WireFeed, on_delete=models.CASCADE, related_name="items")
    identity = models.CharField(
        max_length=64, help_text="SHA-256 of the guid/uri, or of the normalised link."
    )
    guid = models.CharField(max_length=1000, blank=True)
    link = models.URLField(max_length=1000, blank=True)
    headline = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices)
    story = models.ForeignKey(
        "news.StoryPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    wire_revision_id = models.BigIntegerField(
        null=True, blank=True, help_text="The story revision the wire wrote last."
    )
    version_key = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64)
    entry = models.JSONField(help_text="The latest version as received (parsed, not cleaned).")
    picture_url = models.URLField(max_length=1000, blank=True)
    picture = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    video_url = models.URLField(
        max_length=1000, blank=True, help_text="The wire video the story leads with."
    )
    video = models.ForeignKey(
        "news.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    embargoed_until = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now, help_text="Last new version.")
    note = models.TextField(blank=True, help_text="Why it is in this state, in plain words.")

    class Meta:
        ordering = ["-changed_at"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "identity"], name="wire_item_once_per_feed")
        ]
        indexes = [models.Index(fields=["status", "-changed_at"])]

    def __str__(self):
        return self.headline


class WireItemVersion(models.Model):
    """A version of an item as it arrived, and what the desk did with it."""

    item = models.ForeignKey(WireItem, on_delete=models.CASCADE, related_name="versions")
    version_key = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64)
    entry = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=200, help_text="What the desk did with this version.")

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.item} ({self.version_key})"
