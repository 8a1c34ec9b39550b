"""Keep cached parts of the public pages fresh when editors change things.

The banner list and section links are dropped from the cache; everything else cached in
fragments (newscast/news/fragments.py) goes stale by moving the content version. The bump
runs inside the editor's transaction, so the new number commits with the change itself.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from newscast.home.models import StationSettings
from newscast.news.fragments import content_version_bump
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


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def pages_changed(sender, **kwargs):
    content_version_bump()


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    # post_delete is sent with each concrete page class (and the base Page row) as sender.
    if isinstance(instance, Page):
        content_version_bump()


# What fragments show besides pages: station settings (names, time zone), pictures and their
# alt text, caption files, tag names, view restrictions (private pages leave the lists), sites,
# and authors (their names and page addresses are in every byline).
_SHOWN_MODELS = (
    StationSettings,
    Author,
    get_image_model(),
    get_document_model(),
    Tag,
    PageViewRestriction,
    Site,
)


def shown_model_changed(sender, **kwargs):
    content_version_bump()


for _model in _SHOWN_MODELS:
    post_save.connect(shown_model_changed, sender=_model, dispatch_uid=f"news-shown-{_model}")
    post_delete.connect(shown_model_changed, sender=_model, dispatch_uid=f"news-gone-{_model}")
