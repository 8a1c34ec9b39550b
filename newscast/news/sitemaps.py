"""Sitemaps: every live page (Wagtail's), and a Google News sitemap of the last 48 hours."""

from __future__ import annotations

from wagtail.contrib.sitemaps import Sitemap

from newscast.news.selectors import story_list_recent_for_news_sitemap


class NewsSitemap(Sitemap):
    """Stories posted in the last 48 hours, with the news: tags Google News reads
    (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap)."""

    limit = 1000

    def items(self):
        return story_list_recent_for_news_sitemap(self.get_wagtail_site().root_page)

    def _urls(self, page, protocol, domain):
        from newscast.home.models import StationSettings

        station = StationSettings.for_site(self.get_wagtail_site())
        urls = []
        for story in self.paginator.page(page).object_list:
            urls.append(
                {
                    "location": story.get_full_url(self.request),
                    "lastmod": story.updated_at or story.posted_at,
                    "story": story,
                    "publication": station.station_name,
                }
            )
        return urls
