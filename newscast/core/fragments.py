"""Cached page fragments, keyed by the content version: fast pages that never go stale.

The expensive, shared parts of the public pages (the home page's story lists, a section's
list, a story's body and share tags, the section links) are rendered once and kept in the
cache under a key holding the content version (core.models.ContentVersion). Any publish,
unpublish, move or delete of a page, and any change of station settings, images, documents,
tags or view restrictions, moves the version (core/signals.py), so the next request renders
afresh: an editor's publish shows at once. FRAGMENT_CACHE_SECONDS is only a safety net for
changes made behind Wagtail's back (raw ORM writes, a shell).

Fragments go through core/versioned_cache.py: in front of Redis, each process also keeps
what it read in its own memory (safe because every key holds the content version).

Previews never read or write fragments: a draft must not be shown from, or leak into, the
cache. Whatever moves with the clock (the breaking-news banner's expiry, weather alerts, the
weather and data widgets) stays outside fragments and keeps its own caching.
"""

from __future__ import annotations

import hashlib

from django.utils import timezone
from wagtail.models import PageViewRestriction

from newscast.core.models.content import content_version_for
from newscast.core.versioned_cache import versioned_get, versioned_set


def fragment_key(name: str, version: int, parts: tuple) -> str:
    vary = hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
    return f"news:fragment:{name}:{version}:{vary}"


def fragment_cacheable(request) -> bool:
    """False for previews and requests without a request object (feeds, emails)."""
    return request is not None and not getattr(request, "is_preview", False)


def fragment_render(request, name: str, parts: tuple, render, *, unseen: bool = False) -> str:
    """The cached HTML of fragment `name` varying on `parts`, or render() it and keep it.
    `unseen`: nobody can have kept it at this version (page_first_seen), so it is rendered
    without asking the cache (a round trip that could only miss).

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
    html = None if unseen else versioned_get(key)
    if html is None:
        html = render()
        versioned_set(key, html)
    return html


class CachedViewRestrictionsMixin:
    """Page mixin: a page served to a reader takes its view restrictions (its own and its
    ancestors', two queries in Wagtail) from the cache, keyed by the content version that
    routing read (HomePage.route sets it). Saving or deleting a restriction, or moving a
    page, moves the version. Everywhere else (admin, previews) Wagtail's own query runs.

    While no page has a restriction at all (most stations), no page asks: a story a
    crawler finds for the first time costs neither the two queries nor a cache write."""

    def get_view_restrictions(self):
        version = getattr(self, "_served_content_version", None)
        if version is None:
            return super().get_view_restrictions()
        if not view_restrictions_anywhere(version):
            return []
        key = f"news:view-restrictions:{version}:{self.pk}"
        restrictions = versioned_get(key)
        if restrictions is None:
            restrictions = list(super().get_view_restrictions())
            versioned_set(key, restrictions)
        return restrictions


def view_restrictions_anywhere(version: int) -> bool:
    """Whether any page has a view restriction, kept under the content version (a
    restriction's save or delete moves it)."""
    key = f"news:view-restrictions-anywhere:{version}"
    anywhere = versioned_get(key)
    if anywhere is None:
        anywhere = PageViewRestriction.objects.exists()
        versioned_set(key, anywhere)
    return anywhere


def page_served(page, request, *, first_seen: bool = False):
    """Mark a page routed for a reader's request, so its view restrictions can be cached.
    `first_seen`: routing read it from the database, not from the route kept at this content
    version, so no request has rendered it at this version (page_first_seen)."""
    page._served_content_version = content_version_for(request)
    page._first_seen_at_version = first_seen
    return page


def page_first_seen(page) -> bool:
    """Whether no request can have rendered this page's fragments at the current content
    version: routing found no route kept for its address (every request that renders the
    page routes it first, and keeps the route with its fragments). A crawler's story is
    nearly always one; its fragments are then rendered without asking the cache. Should a
    route be dropped before its fragments, the page is only rendered once more."""
    return getattr(page, "_first_seen_at_version", False)
