"""RSS 2.0 and Atom feeds of the latest stories, for the whole site and for each section.

Feed readers show an item's description as HTML, so summaries and titles go out as plain text
(core.sanitize.clean_text: no tag, no bidi control), whatever an editor or a wire feed put in.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Enclosure
from wagtail.models import Site

from newscast.core.models import StationSettings
from newscast.core.sanitize import clean_text
from newscast.news.models import SectionPage, StoryPage
from newscast.news.selectors import STORIES_IN_FEED, story_list_latest

FEED_IMAGE_SPEC = "fill-1200x675"  # the sharing size: feed readers show it as the card image


class LatestStoriesFeed(Feed):
    """RSS 2.0: the newest stories of the whole site."""

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
        self.station = StationSettings.for_site(self.site)
        return None

    def title(self, obj):
        return self.station.station_name

    def link(self, obj):
        return self.site.root_url + "/"

    def description(self, obj):
        return self.station.tagline or f"Latest stories from {self.station.station_name}"

    def items(self, obj):
        return story_list_latest(self.site.root_page)[:STORIES_IN_FEED]

    def item_title(self, item: StoryPage):
        return clean_text(item.title)

    def item_description(self, item: StoryPage):
        return clean_text(item.summary)

    def item_link(self, item: StoryPage):
        return item.get_full_url(self.request)

    def item_guid(self, item: StoryPage):
        return f"{self.site.root_url}/?story={item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: StoryPage):
        return item.posted_at

    def item_updateddate(self, item: StoryPage):
        return item.updated_at or item.posted_at

    def item_author_name(self, item: StoryPage):
        return item.byline.removeprefix("By ").strip() or item.source_credit or None

    def item_categories(self, item: StoryPage):
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item: StoryPage):
        """The lead image at sharing size: RSS <enclosure>, Atom <link rel="enclosure">."""
        if not item.lead_image_id:
            return []
        rendition = item.lead_image.get_rendition(FEED_IMAGE_SPEC)
        try:
            length = rendition.file.size
        except OSError:  # the file is gone from storage: readers still get the address
            length = 0
        url = self.request.build_absolute_uri(rendition.url)
        return [Enclosure(url, str(length), "image/jpeg" if url.endswith(".jpg") else "image/*")]


class LatestStoriesAtomFeed(LatestStoriesFeed):
    """Atom: the same stories as the RSS feed."""

    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


class SectionFeed(LatestStoriesFeed):
    """RSS 2.0: the newest stories of one section (/feeds/<section>/rss/)."""

    def get_object(self, request, section_slug):
        super().get_object(request)
        section = (
            SectionPage.objects.live()
            .public()
            .descendant_of(self.site.root_page)
            .filter(slug=section_slug)
            .first()
        )
        if section is None:
            raise Http404(f"No section {section_slug!r}")
        return section

    def title(self, obj: SectionPage):
        return f"{obj.title} | {self.station.station_name}"

    def link(self, obj: SectionPage):
        return obj.get_full_url(self.request)

    def description(self, obj: SectionPage):
        return obj.introduction or f"{obj.title} stories from {self.station.station_name}"

    def items(self, obj: SectionPage):
        return story_list_latest().child_of(obj)[:STORIES_IN_FEED]


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
