"""Drop the news desk's own cached lists when editors change them.

The banner list and section links are dropped from the cache; everything else cached in
fragments goes stale by moving the content version (newscast/core/signals.py).
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from newscast.core.models.content import content_version_bump
from newscast.news.models import Author, BreakingNewsBanner, SectionPage
from newscast.news.selectors import BANNERS_CACHE_KEY, NAV_CACHE_KEY


@receiver(post_save, sender=BreakingNewsBanner)
@receiver(post_delete, sender=BreakingNewsBanner)
def banners_changed(sender, **kwargs):
    cache.delete(BANNERS_CACHE_KEY)


@receiver(page_published, sender=SectionPage)
@receiver(page_unpublished, sender=SectionPage)
@receiver(post_delete, sender=SectionPage)
@receiver(post_page_move)
def sections_changed(sender, **kwargs):
    cache.delete(NAV_CACHE_KEY)


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def author_changed(sender, **kwargs):
    # An author's name and page address are in every byline that credits them.
    content_version_bump()
