"""Move the content version when editors change what the news desk shows besides pages.

The banner list, the section links and the fragments are all kept under the content
version (section publishes, moves and removals move it in newscast/core/signals.py).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newscast.core.models.content import content_version_bump
from newscast.news.models import Author, BreakingNewsBanner


@receiver(post_save, sender=BreakingNewsBanner)
@receiver(post_delete, sender=BreakingNewsBanner)
def banners_changed(sender, **kwargs):
    content_version_bump()


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def author_changed(sender, **kwargs):
    # An author's name and page address are in every byline that credits them.
    content_version_bump()
