"""Reads of the wire desk: which feeds are due, and the queue as editors see it."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils import timezone

from newscast.wire.models import WireFeed, WireItem

# The queue screen's default view: items that need (or may want) an editor's decision.
NEEDS_AN_EDITOR = (WireItem.Status.QUEUED, WireItem.Status.UPDATE_WAITING, WireItem.Status.HELD)
QUEUE_PAGE_SIZE = 50


def feed_list_due(now=None) -> list[WireFeed]:
    """Active feeds whose poll interval has passed since their last poll."""
    now = now or timezone.now()
    return [feed for feed in WireFeed.objects.filter(active=True) if feed.is_due(now)]


def feed_list() -> QuerySet[WireFeed]:
    """Every feed, by name, with its section."""
    return WireFeed.objects.select_related("section").order_by("name")


def feed_get_by_name(name: str) -> WireFeed:
    """The feed called `name` (case-insensitive); raises WireFeed.DoesNotExist."""
    return WireFeed.objects.get(name__iexact=name.strip())


def queue_items(*, feed_id=None, status=None) -> QuerySet[WireItem]:
    """Wire items newest first with their feed and story, filtered by feed and status.

    status "" or None means the items that need an editor; "all" means every item.
    """
    items = WireItem.objects.select_related("feed", "story").defer("entry")
    if feed_id:
        items = items.filter(feed_id=feed_id)
    if status == "all":
        return items
    if status:
        return items.filter(status=status)
    return items.filter(status__in=NEEDS_AN_EDITOR)


def queue_counts() -> dict[str, int]:
    """How many items are in each status, for the queue's filter links."""
    rows = WireItem.objects.values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def no_such_feed_message(name: str) -> str:
    """A plain-words error naming the feeds that do exist."""
    names = list(WireFeed.objects.values_list("name", flat=True))
    known = (
        ", ".join(repr(n) for n in names) if names else "none yet (add one in Wire desk > Feeds)"
    )
    return f"No wire feed is called {name!r}. Feeds: {known}."


def item_with_feed(pk: int) -> WireItem | None:
    return WireItem.objects.select_related("feed").filter(pk=pk).first()


def sample_first_seen(name: str):
    """When the desk first saw an item of the demo's sample feed `name` (None if never)."""
    return (
        WireItem.objects.filter(feed__url__endswith=f"/wire/samples/{name}")
        .order_by("first_seen_at")
        .values_list("first_seen_at", flat=True)
        .first()
    )
