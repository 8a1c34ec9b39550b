"""Sections, stories, their corrections, and the breaking-news banner."""

from __future__ import annotations

import copy
import re

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from newscast.core.fragments import CachedViewRestrictionsMixin, fragment_cacheable
from newscast.core.models.content import content_version_for
from newscast.core.prepared import PreparedQuery
from newscast.core.sanitize import PlainFieldsBidiMixin
from newscast.core.versioned_cache import versioned_get, versioned_set
from newscast.news.authors import Author, StoryAuthor  # noqa: F401 - the news desk's people
from newscast.news.blocks import StoryBodyBlock
from newscast.news.videos import Video  # noqa: F401 - the library's model lives in news

STORIES_PER_PAGE = 20


LAST_PAGE = 10**9  # Paginator.get_page shows the last page for any number past the end
MAX_PAGE_NUMBER = 5_000  # 100,000 stories a section at 20 a page


def page_number_for(value: str | None) -> int:
    """The list page a ?page= value asks for: 1 when missing or not a plain number, the last
    page for zero and past the end. One canonical number per list page keeps junk in the
    URL from filling, or poisoning, the cached fragments."""
    if not value or not re.fullmatch(r"[0-9]{1,9}", value):
        return 1
    number = int(value)
    return number if 0 < number <= MAX_PAGE_NUMBER else LAST_PAGE


class SectionPage(PlainFieldsBidiMixin, CachedViewRestrictionsMixin, Page):
    """A desk's front: News, Local, Sports... Lists its stories newest first, with feeds."""

    introduction = models.TextField(blank=True, help_text="One or two lines under the heading.")

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.StoryPage"]
    # Kept at the edge until purged (core/cachecontrol.py, news/edge.py).
    kept_at_edge = True

    class Meta:
        verbose_name = "section"

    def stories(self):
        """This section's live public stories, as cards, newest first."""
        return StoryPage.cards().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        number = page_number_for(request.GET.get("page"))
        # Lazy: a warm request takes the list from the template's cached fragment.
        context["stories"] = SimpleLazyObject(
            lambda: Paginator(self.stories(), STORIES_PER_PAGE).get_page(number)
        )
        context["page_number"] = number
        return context


class VideoSectionPage(CachedViewRestrictionsMixin, Page):
    """The Video section: every story that leads with a video from the library, newest first."""

    introduction = models.TextField(blank=True, help_text="One or two lines under the heading.")

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    # Kept at the edge until purged (core/cachecontrol.py, news/edge.py).
    kept_at_edge = True

    class Meta:
        verbose_name = "video section"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        number = page_number_for(request.GET.get("page"))
        root = self.get_parent()
        context["stories"] = SimpleLazyObject(
            lambda: Paginator(StoryPage.cards_with_video(root), STORIES_PER_PAGE).get_page(number)
        )
        context["page_number"] = number
        return context


class StoryPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.StoryPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class StoryPageForm(WagtailAdminPageForm):
    """The story editor: "significant update" starts unticked on every edit, and needs a note."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "significant_update" in self.fields:
            self.initial["significant_update"] = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("significant_update") and not (cleaned.get("update_note") or "").strip():
            self.add_error(
                "update_note",
                "A significant update is shown to readers: write a short note saying what changed.",
            )
        return cleaned


class StoryPage(PlainFieldsBidiMixin, CachedViewRestrictionsMixin, Page):
    """One story: headline (the page title), summary, lead media, body, and its times.

    `posted_at` is fixed at first publish. `updated_at` and `update_note` move only when the
    editor ticks "significant update" (or a service passes an update note); ordinary saves,
    typo fixes and republishing leave them alone. Wagtail's last_published_at is not it.
    """

    summary = models.TextField(
        blank=True, help_text="One or two sentences for lists, feeds and sharing."
    )
    byline = models.CharField(
        max_length=255,
        blank=True,
        help_text='A wire or guest byline, for example "By Jane Doe"; the newsroom\'s own '
        "people go under Authors, so their bylines link to their pages.",
    )
    source_credit = models.CharField(
        max_length=100, blank=True, help_text='For a syndicated story, the source: "CNN".'
    )
    canonical_url = models.URLField(
        max_length=1000,
        blank=True,
        help_text="For a syndicated copy, the original story's address (search engines credit it).",
    )
    agency_copy_in_sitemaps = models.BooleanField(
        default=False,
        editable=False,
        help_text="An agency copy listed in the sitemaps all the same: set by the wire desk "
        "from its feed's setting, never by a revision.",
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_video = models.ForeignKey(
        "news.Video",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A video from the library, shown instead of the lead image (its poster).",
    )
    lead_caption = models.CharField(max_length=500, blank=True)
    lead_credit = models.CharField(max_length=200, blank=True)
    body = StreamField(StoryBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=StoryPageTag, blank=True)

    posted_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="Set at first publish; never moves."
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    update_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Shown to readers with the Updated time, for example "
        '"Adds the mayor\'s statement." Changes only with a significant update.',
    )
    significant_update = models.BooleanField(
        default=False,
        verbose_name="This is a significant update",
        help_text="Tick when the story changed in substance: the Updated time moves to when "
        "this version is published and the update note is shown. Leave unticked for fixes.",
    )

    base_form_class = StoryPageForm

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        InlinePanel("story_authors", heading="Authors", label="Author"),
        FieldPanel("byline"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_video"),
                FieldRowPanel([FieldPanel("lead_caption"), FieldPanel("lead_credit")]),
            ],
            heading="Lead media",
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldPanel("source_credit"), FieldPanel("canonical_url")],
            heading="Syndication",
            classname="collapsed",
        ),
        MultiFieldPanel(
            [FieldPanel("significant_update"), FieldPanel("update_note")],
            heading="Significant update",
        ),
        InlinePanel("corrections", heading="Corrections and clarifications", label="Note"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("byline"),
        index.FilterField("posted_at"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    # Kept at the edge until purged (core/cachecontrol.py, news/edge.py).
    kept_at_edge = True

    class Meta:
        verbose_name = "story"
        verbose_name_plural = "stories"

    # What a story card shows and what its URL needs; loading only these keeps lists cheap.
    CARD_FIELDS = (
        "id", "path", "depth", "title", "slug", "url_path", "live", "locale_id",
        "summary", "byline", "source_credit", "posted_at", "updated_at", "lead_image",
    )  # fmt: skip

    @classmethod
    def cards(cls):
        """Live public stories with what a story card needs (lead image and its renditions),
        without the body, newest first. The page types' own lists start here; other lists go
        through news.selectors, which start here too."""
        return (
            cls.objects.live()
            .public()
            .only(*cls.CARD_FIELDS)
            .select_related("lead_image")
            .prefetch_related("lead_image__renditions")
            .order_by("-posted_at", "-pk")
        )

    @classmethod
    def cards_with_video(cls, root: Page):
        """Live public stories under root that lead with a library video, newest first."""
        return (
            cls.cards()
            .descendant_of(root)
            .filter(lead_video__isnull=False)
            .only(*cls.CARD_FIELDS, "lead_video")
            .select_related("lead_video", "lead_video__poster")
        )

    @property
    def is_agency_copy(self) -> bool:
        """A syndicated copy whose canonical page is elsewhere (the agency's)."""
        return bool(self.canonical_url)

    @property
    def in_sitemaps(self) -> bool:
        """Our own stories, and agency copies whose feed asks for them (a per-feed setting)."""
        return not self.is_agency_copy or self.agency_copy_in_sitemaps

    def get_sitemap_urls(self, request=None):
        # An agency copy is not ours to index by default: its canonical link already points
        # away, and listing it would ask search engines to crawl a page that credits another.
        return super().get_sitemap_urls(request) if self.in_sitemaps else []

    @property
    def shown_updated_at(self):
        """The Updated time readers see: the last significant update, else the posted time."""
        return self.updated_at or self.posted_at

    def save(self, *args, **kwargs):
        # A full save of a live page is how Wagtail publishes (PublishRevisionAction);
        # partial saves (update_fields) are bookkeeping and must not stamp times. The admin's
        # "Publish" with a future go-live date first saves the new page as live, then
        # schedules it: that save is not a publish, so Posted waits for the real go-live.
        if self.live and kwargs.get("update_fields") is None and not self._scheduled_for_later():
            self._stamp_publication_times()
        return super().save(*args, **kwargs)

    def _scheduled_for_later(self) -> bool:
        return self.go_live_at is not None and self.go_live_at > timezone.now()

    def _stamp_publication_times(self) -> None:
        if self.posted_at is None:
            self.posted_at = self.first_published_at or timezone.now()
            self.significant_update = False  # a first publish is not an update
        elif self.significant_update:
            self.updated_at = timezone.now()
            self.significant_update = False

    def with_content_json(self, content):
        """A revision as a page, keeping the times only publishing may move.

        Revisions saved before the first publish carry no posted_at, and a revision without
        the significant-update tick must not bring back an older Updated time or note.
        """
        obj = super().with_content_json(content)
        # The feed's sitemap setting lives on the page, outside revisions (services.py).
        obj.agency_copy_in_sitemaps = self.agency_copy_in_sitemaps
        if self.posted_at:
            obj.posted_at = self.posted_at
        if not obj.significant_update:
            obj.updated_at = self.updated_at
            obj.update_note = self.update_note
        return obj

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: a warm request takes the story from the template's cached fragments.
        context["section"] = SimpleLazyObject(lambda: self.section_for(request))
        context["corrections"] = SimpleLazyObject(
            lambda: list(self.corrections.all()) if self.may_have("corrections") else []
        )
        context["tags"] = SimpleLazyObject(
            lambda: list(self.tags.all()) if self.may_have("tags") else []
        )
        return context

    @classmethod
    def with_shown_relations(cls, stories):
        """Stories noting whether each has authors, tags and corrections (EXISTS in the same
        query): most have none of some, and a story routed for a reader then skips those
        queries (may_have)."""
        return stories.annotate(
            _has_authors=models.Exists(StoryAuthor.objects.filter(story=models.OuterRef("pk"))),
            _has_tags=models.Exists(
                StoryPageTag.objects.filter(content_object=models.OuterRef("pk"))
            ),
            _has_corrections=models.Exists(
                StoryCorrection.objects.filter(story=models.OuterRef("pk"))
            ),
        )

    @classmethod
    def at_address(cls, url_path: str, depth: int) -> StoryPage | None:
        """The story at this address (its url_path, at this depth in the tree), with its shown
        relations noted (with_shown_relations), or None; live or not. One query, whose SQL is
        built once per database connection, and its row read as the ORM would without asking
        the ORM again (core.prepared): for a page type of forty-odd columns with three
        EXISTS, Django's build of it cost several times its run, and a crawler asks for
        stories never seen before."""
        slug = url_path.rstrip("/").rsplit("/", 1)[-1]
        return _STORY_AT_ADDRESS.first(slug=slug, depth=depth, url_path=url_path)

    def may_have(self, relation: str) -> bool:
        """False when the query that loaded the story found none of `relation` (authors, tags
        or corrections); True when it did, or did not look (an editor's preview)."""
        return getattr(self, f"_has_{relation}", True)

    def section_for(self, request):
        """The section this story sits in, as its own type. For a reader, kept under the
        content version (a section's publish, move or removal moves it): its stories share
        one copy, so a story seen for the first time does not look its section up again."""
        if not fragment_cacheable(request):
            return self.get_parent().specific_deferred
        parent_path = self.path[: -self.steplen]
        key = f"news:section:{content_version_for(request)}:{parent_path}"
        section = versioned_get(key)
        if section is None:
            section = Page.objects.get(path=parent_path).specific
            versioned_set(key, section)
        # Its own copy for this request: rendering notes things on a page.
        return copy.copy(section)


# StoryPage.at_address's query: the story at an address, with its shown relations.
_STORY_AT_ADDRESS = PreparedQuery(
    lambda **address: (
        StoryPage.with_shown_relations(StoryPage.objects.all()).filter(**address).order_by("pk")
    ),
    # Stand-ins for the address's parts while its SQL is built (found again among the
    # parameters: values the query's own constants never take).
    slug="\x00slug",
    depth=1_234_567_890,
    url_path="\x00url_path",
)


class StoryCorrection(PlainFieldsBidiMixin, Orderable):
    """A dated note on a story: a correction (we got it wrong) or a clarification."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"

    story = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    noted_at = models.DateTimeField(default=timezone.now, help_text="When the note was added.")
    note = models.TextField(help_text="What was wrong or unclear, and what is right.")

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("noted_at")]),
        FieldPanel("note", widget=forms.Textarea(attrs={"rows": 3})),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "correction or clarification"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.story_id}: {self.note[:60]}"


class BreakingNewsBanner(PlainFieldsBidiMixin, models.Model):
    """A site-wide banner over every page until its expiry (a snippet in the admin)."""

    headline = models.CharField(max_length=200)
    link_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link_url = models.URLField(blank=True, help_text="Used when no page is chosen.")
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(help_text="The banner disappears by itself at this time.")

    panels = [
        FieldPanel("headline"),
        FieldPanel("link_page"),
        FieldPanel("link_url"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("expires_at")]),
    ]

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = "breaking-news banner"

    def __str__(self):
        return self.headline

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.expires_at and self.starts_at and self.expires_at <= self.starts_at:
            raise ValidationError({"expires_at": "The banner must expire after it starts."})

    @property
    def link(self) -> str:
        if self.link_page_id:
            return self.link_page.url or ""
        return self.link_url
