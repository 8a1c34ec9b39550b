"""Which news pages a change touches, renewed at the edge when it commits (core/edge.py).

A story's publish or unpublish refreshes in place (at a CDN: purges) the pages that show it:
itself, the home page, its section, the video sections (when it leads with a video), its
authors' and tags' pages, the feeds and the sitemaps. What shows on every news page (section
links, bylines, the breaking banner) purges them all, the most read refreshed in place. A
breaking banner that starts or ends by the clock shortens how long the edge keeps a page
instead (register_edge_expiry), since no save happens at that moment.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from newscast.core.edge import (
    purge_site,
    refresh_urls_task,
    register_edge_expiry,
    register_hot_urls,
    register_site_urls,
)
from newscast.news.authors import Author
from newscast.news.models import BreakingNewsBanner, SectionPage, StoryPage, VideoSectionPage
from newscast.news.selectors import upcoming_banners

LISTS = ("feed_rss", "feed_atom", "sitemap", "news_sitemap", "video_sitemap")


def story_urls(story: StoryPage) -> list[str]:
    """Full URLs of every page that shows this story."""
    site = story.get_site()
    if site is None:
        return []
    root = site.root_url
    urls = [story.get_full_url(), root + "/"]
    urls += [root + reverse(name) for name in LISTS]
    section = story.get_parent().specific_deferred
    urls += [section.get_full_url(), *(root + path for path in _section_feeds(section.slug))]
    if story.lead_video_id:
        urls += [page.get_full_url() for page in VideoSectionPage.objects.live()]
    authors = Author.objects.filter(story_credits__story=story).values_list("slug", flat=True)
    if authors:
        urls.append(root + reverse("authors"))
    urls += [root + reverse("author", args=[slug]) for slug in authors]
    urls += [root + reverse("tag", args=[tag.slug]) for tag in story.tags.all()]
    return [url for url in urls if url]


def _section_feeds(slug: str) -> list[str]:
    return [reverse(name, args=[slug]) for name in ("section_feed_rss", "section_feed_atom")]


def all_news_urls() -> list[str]:
    """Every news page of every site: for a site-wide purge (thousands: one per story)."""
    urls = []
    for site in Site.objects.select_related("root_page"):
        urls += _front_urls(site)
        urls += _page_urls(site, StoryPage)
        urls.append(site.root_url + reverse("authors"))
        for slug in Author.objects.values_list("slug", flat=True):
            urls.append(site.root_url + reverse("author", args=[slug]))
        for slug in StoryPage.tags.through.tag_model().objects.values_list("slug", flat=True):
            urls.append(site.root_url + reverse("tag", args=[slug]))
    return urls


def hot_news_urls() -> list[str]:
    """The news pages most read, of every site: home, sections, the feeds and sitemaps."""
    urls = []
    for site in Site.objects.select_related("root_page"):
        urls += _front_urls(site)
    return urls


def _front_urls(site: Site) -> list[str]:
    """A site's home page, its sections with their feeds, the site's feeds and sitemaps."""
    urls = [site.root_url + "/", *_page_urls(site, SectionPage, VideoSectionPage)]
    urls += [site.root_url + reverse(name) for name in LISTS]
    for slug in SectionPage.objects.live().values_list("slug", flat=True):
        urls += [site.root_url + path for path in _section_feeds(slug)]
    return urls


def _page_urls(site: Site, *types) -> list[str]:
    """Full URLs of the site's live pages of these types, from their paths (no page loaded)."""
    root_path = site.root_page.url_path
    paths = (
        Page.objects.live()
        .descendant_of(site.root_page)
        .type(*types)
        .values_list("url_path", flat=True)
    )
    return [site.root_url + "/" + path[len(root_path) :] for path in paths]


def seconds_until_banner_change(request=None) -> float | None:
    """Seconds until a breaking banner starts or ends, if one is waiting to."""
    now = timezone.now()
    moments = [
        moment
        for banner in upcoming_banners(now, request)
        for moment in (banner.starts_at, banner.expires_at)
        if moment > now
    ]
    return (min(moments) - now).total_seconds() if moments else None


register_site_urls(all_news_urls)
register_hot_urls(hot_news_urls)
register_edge_expiry(seconds_until_banner_change)


class StoriesToPurge:
    """The stories one transaction published or unpublished, handed to the worker in one task
    when it commits: a wire poll files hundreds, and their pages share home, feeds, sitemaps."""

    def __init__(self, story_id: int):
        self.ids = {story_id}

    def __call__(self) -> None:
        purge_stories_task.enqueue(sorted(self.ids))


@receiver(page_published, sender=StoryPage)
@receiver(page_unpublished, sender=StoryPage)
def story_changed(sender, instance, **kwargs):
    connection = transaction.get_connection()
    waiting = (func for _, func, _ in connection.run_on_commit)
    pending = next((func for func in waiting if isinstance(func, StoriesToPurge)), None)
    if pending is not None and connection.in_atomic_block:
        pending.ids.add(instance.pk)
    else:
        # Outside a transaction this runs at once. A savepoint rolled back drops the callback
        # with what it held: those pages then wait for their expiry (EDGE_SECONDS) at worst.
        transaction.on_commit(StoriesToPurge(instance.pk), robust=True)


@task()
def purge_stories_task(story_ids: list[int]) -> None:
    """In the worker: the pages that show these stories, renewed at every edge in one batch."""
    urls = set()
    for story in StoryPage.objects.filter(pk__in=story_ids):  # a deleted one purged the site
        urls.update(story_urls(story))
    refresh_urls_task.call(sorted(urls))


# Section links, bylines and the breaking banner are on every news page.
@receiver(page_published, sender=SectionPage)
@receiver(page_unpublished, sender=SectionPage)
@receiver(page_published, sender=VideoSectionPage)
@receiver(page_unpublished, sender=VideoSectionPage)
@receiver(post_page_move)
@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
@receiver(post_save, sender=BreakingNewsBanner)
@receiver(post_delete, sender=BreakingNewsBanner)
@receiver(post_delete, sender=StoryPage)  # Wagtail sends no unpublish for a deleted page
@receiver(post_delete, sender=SectionPage)
def every_page_changed(sender, **kwargs):
    purge_site()
