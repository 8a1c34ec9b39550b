"""Public URLs of the news desk that live outside Wagtail's page tree.

Tags, authors, feeds and sitemaps are kept at the edge until a change purges them
(keep_at_edge; news/edge.py says which change touches which)."""

from django.urls import path
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap

from newscast.core.cachecontrol import keep_at_edge
from newscast.news import feeds, views
from newscast.news.sitemaps import AuthorSitemap, NewsSitemap, VideoSitemap

urlpatterns = [
    path("search/", views.search, name="search"),
    path("tags/<slug:slug>/", keep_at_edge(views.tag_page), name="tag"),
    path("authors/", keep_at_edge(views.author_index), name="authors"),
    path("authors/<slug:slug>/", keep_at_edge(views.author_page), name="author"),
    path("corrections/", views.corrections, name="corrections"),
    path("live/", views.live, name="live"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("feeds/rss/", keep_at_edge(feeds.LatestStoriesFeed()), name="feed_rss"),
    path("feeds/atom/", keep_at_edge(feeds.LatestStoriesAtomFeed()), name="feed_atom"),
    path(
        "feeds/<slug:section_slug>/rss/", keep_at_edge(feeds.SectionFeed()), name="section_feed_rss"
    ),
    path(
        "feeds/<slug:section_slug>/atom/",
        keep_at_edge(feeds.SectionAtomFeed()),
        name="section_feed_atom",
    ),
    path(
        "sitemap.xml",
        keep_at_edge(sitemap),
        {"sitemaps": {"pages": WagtailSitemap, "authors": AuthorSitemap}},
        name="sitemap",
    ),
    path(
        "news-sitemap.xml",
        keep_at_edge(sitemap),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "news/news_sitemap.xml"},
        name="news_sitemap",
    ),
    path(
        "video-sitemap.xml",
        keep_at_edge(sitemap),
        {"sitemaps": {"video": VideoSitemap}, "template_name": "news/video_sitemap.xml"},
        name="video_sitemap",
    ),
]
