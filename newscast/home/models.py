"""The home page: a lead story and top stories curated by editors, then the latest."""

import copy
import hashlib
import operator
from functools import partial

from django.db import models
from django.utils.functional import SimpleLazyObject
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page

from newscast.core.fragments import CachedViewRestrictionsMixin, page_served
from newscast.core.models.content import content_version_for
from newscast.core.versioned_cache import versioned_get, versioned_set
from newscast.news.models import SectionPage, StoryPage
from newscast.news.selectors import front_page_for


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
    subpage_types = ["news.SectionPage", "news.VideoSectionPage"]
    # Kept at the edge until purged (core/cachecontrol.py, news/edge.py).
    kept_at_edge = True
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
        page, first_seen = self._section_or_story_at(path_components, content_version_for(request))
        if page is not None:
            # Wagtail's own check (live, else 404), then cached view restrictions.
            result = page.route(request, [])
            page_served(result.page, request, first_seen=first_seen)
            return result
        result = super().route(request, path_components)
        if result.page is self:
            page_served(self, request)
        return result

    def _section_or_story_at(self, path_components, version: int) -> tuple[Page | None, bool]:
        """(The section or story at this address, or None; whether it was read from the
        database rather than from the route kept at this version.)"""
        model = {1: SectionPage, 2: StoryPage}.get(len(path_components))
        if model is None:
            return None, False
        url_path = self.url_path + "/".join(path_components) + "/"
        digest = hashlib.md5(url_path.encode(), usedforsecurity=False).hexdigest()
        key = f"home:route:{version}:{digest}"
        page = versioned_get(key)
        first_seen = page is None
        if first_seen:
            depth = self.depth + len(path_components)
            if model is StoryPage:
                page = StoryPage.at_address(url_path, depth)
            else:
                page = (
                    model.objects.filter(slug=path_components[-1], depth=depth, url_path=url_path)
                    .order_by()
                    .first()
                )
            if page is not None:  # misses (404 probes) are not kept
                versioned_set(key, page)
        # Its own copy for this request: serving notes things on the page.
        return (copy.copy(page) if page is not None else None), first_seen

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template's cached fragment holds the lists, so a warm request never asks
        # the database for them (newscast/core/fragments.py).
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
