"""Move the content version when anything a cached page fragment shows changes, and purge
the edge's news pages when it shows on every one of them.

Fragments (newscast/core/fragments.py) go stale by the version moving; the bump runs inside
the editor's transaction, so the new number commits with the change itself.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from newscast.core.edge import purge_site
from newscast.core.models import StationSettings
from newscast.core.models.content import content_version_bump


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
# alt text, caption files, tag names, view restrictions (private pages leave the lists), sites.
_SHOWN_MODELS = (
    StationSettings,
    get_image_model(),
    get_document_model(),
    Tag,
    PageViewRestriction,
    Site,
)


def shown_model_changed(sender, created=False, **kwargs):
    content_version_bump()
    # At the edge (core/edge.py): a new picture, document or tag comes with a new story, whose
    # publish purges the pages that show it; any other change may show on every news page.
    if not created or sender in (StationSettings, PageViewRestriction, Site):
        purge_site()


for _model in _SHOWN_MODELS:
    post_save.connect(shown_model_changed, sender=_model, dispatch_uid=f"core-shown-{_model}")
    post_delete.connect(shown_model_changed, sender=_model, dispatch_uid=f"core-gone-{_model}")
