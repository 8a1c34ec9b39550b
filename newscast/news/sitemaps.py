"""Sitemaps: every live page (Wagtail's) and author page, a Google News sitemap of the last
48 hours, and a video sitemap of the stories that lead with a video."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from wagtail.contrib.sitemaps import Sitemap

from newscast.core.models import StationSettings
from newscast.news.selectors import (
    author_list,
    story_list_for_video_sitemap,
    story_list_recent_for_news_sitemap,
)

VIDEO_THUMBNAIL_SPEC = "fill-1280x720"  # 16:9; video sitemaps take at least 160x90


class NewsSitemap(Sitemap):
    """Stories posted in the last 48 hours, with the news: tags Google News reads
    (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap)."""

    limit = 1000

    def items(self):
        return story_list_recent_for_news_sitemap(self.get_wagtail_site().root_page)

    def _urls(self, page, protocol, domain):
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


class VideoSitemap(Sitemap):
    """Stories that lead with a library video, with the video: tags search engines read
    (https://developers.google.com/search/docs/crawling-indexing/sitemaps/video-sitemaps)."""

    limit = 1000

    def items(self):
        return story_list_for_video_sitemap(self.get_wagtail_site().root_page)

    def _urls(self, page, protocol, domain):
        urls = []
        for story in self.paginator.page(page).object_list:
            video = story.lead_video
            thumbnail = video.poster.get_rendition(VIDEO_THUMBNAIL_SPEC).url
            content = video.mp4_src or video.hls_url
            urls.append(
                {
                    "location": story.get_full_url(self.request),
                    "story": story,
                    "video": video,
                    "thumbnail": self.request.build_absolute_uri(thumbnail),
                    "content": self.request.build_absolute_uri(content) if content else "",
                }
            )
        return urls


class AuthorSitemap(DjangoSitemap):
    """The author pages (/authors/<slug>/), which live outside Wagtail's page tree."""

    limit = 1000

    def items(self):
        return author_list()
