"""Cached page fragments, keyed by the content version: fast pages that never go stale.

The expensive, shared parts of the public pages (the home page's story lists, a section's
list, a story's body and share tags, the section links) are rendered once and kept in the
cache under a key holding the content version (models.ContentVersion). Any publish,
unpublish, move or delete of a page, and any change of station settings, images, documents,
tags or view restrictions, moves the version (signals.py), so the next request renders
afresh: an editor's publish shows at once. FRAGMENT_CACHE_SECONDS is only a safety net for
changes made behind Wagtail's back (raw ORM writes, a shell).

Previews never read or write fragments: a draft must not be shown from, or leak into, the
cache. Whatever moves with the clock (the breaking-news banner's expiry, weather alerts, the
weather and data widgets) stays outside fragments and keeps its own caching.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

FRAGMENT_CACHE_SECONDS = 10 * 60
_REQUEST_ATTR = "_news_content_version"


def content_version() -> int:
    """The current content version (one primary-key read).

    Plain SQL: it runs on every page, and building the ORM query cost more than running it.
    """
    from newscast.news.models import ContentVersion

    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def content_version_for(request) -> int:
    """The content version, read once per request."""
    number = getattr(request, _REQUEST_ATTR, None)
    if number is None:
        number = content_version()
        setattr(request, _REQUEST_ATTR, number)
    return number


def content_version_bump() -> None:
    """Move the content version: every cached fragment is stale from this commit on."""
    from newscast.news.models import ContentVersion

    with transaction.atomic():
        moved = ContentVersion.objects.filter(pk=1).update(
            number=F("number") + 1, changed_at=timezone.now()
        )
        if not moved:
            ContentVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def fragment_key(name: str, version: int, parts: tuple) -> str:
    vary = hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
    return f"news:fragment:{name}:{version}:{vary}"


def fragment_cacheable(request) -> bool:
    """False for previews and requests without a request object (feeds, emails)."""
    return request is not None and not getattr(request, "is_preview", False)


def fragment_render(request, name: str, parts: tuple, render) -> str:
    """The cached HTML of fragment `name` varying on `parts`, or render() it and keep it.

    The host and the active time zone are part of every key: links and shown times depend
    on them.
    """
    if not fragment_cacheable(request):
        return render()
    key = fragment_key(
        name,
        content_version_for(request),
        (request.get_host(), timezone.get_current_timezone_name(), *parts),
    )
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_CACHE_SECONDS)
    return html


class CachedViewRestrictionsMixin:
    """Page mixin: a page served to a reader takes its view restrictions (its own and its
    ancestors', two queries in Wagtail) from the cache, keyed by the content version that
    routing read (HomePage.route sets it). Saving or deleting a restriction, or moving a
    page, moves the version. Everywhere else (admin, previews) Wagtail's own query runs."""

    def get_view_restrictions(self):
        version = getattr(self, "_served_content_version", None)
        if version is None:
            return super().get_view_restrictions()
        key = f"news:view-restrictions:{version}:{self.pk}"
        restrictions = cache.get(key)
        if restrictions is None:
            restrictions = list(super().get_view_restrictions())
            cache.set(key, restrictions, FRAGMENT_CACHE_SECONDS)
        return restrictions


def page_served(page, request):
    """Mark a page routed for a reader's request, so its view restrictions can be cached."""
    page._served_content_version = content_version_for(request)
    return page
