"""Writes of the wire desk's queue: the actions editors take on an item (publish, hold, kill)."""

from __future__ import annotations

import httpx
from django.db import transaction
from django.utils import timezone

from newscast.news.services import story_unpublish
from newscast.wire.fetch import shared_client
from newscast.wire.models import WireItem
from newscast.wire.parse import WireEntry
from newscast.wire.services.items import (
    StoryMedia,
    captions_for,
    draft_for,
    picture_for,
    story_write,
    version_record,
)

Status = WireItem.Status


class WireError(Exception):
    """A queue action could not be done; `str()` says why in plain words."""


def item_publish(item: WireItem, *, user=None, client: httpx.Client | None = None, now=None):
    """Put the item's latest wire version on the site, over any local edit (the editor chose).

    Creates the story if there is none yet; otherwise revises it and publishes.
    """
    now = now or timezone.now()
    feed = item.feed
    if feed.section_id is None:
        raise WireError(f"{feed.name} has no section to put stories in; choose one first")
    draft = draft_for(WireEntry.from_json(item.entry), item.link or feed.url, now)
    with shared_client(client) as http:
        picture, problem = picture_for(item, draft, http)
        captions, captions_problem = captions_for(item, draft, http)
    problem = "; ".join(p for p in (problem, captions_problem) if p)
    with transaction.atomic():
        item = (
            WireItem.objects.select_for_update(of=("self",))
            .select_related("story", "feed")
            .get(pk=item.pk)
        )
        note = None
        if item.story is not None:
            note = f"Updated with the latest version from {feed.credit_line}."
        media = StoryMedia(picture, captions)
        story_write(item, feed, draft, media, now, update_note=note, user=user)
        if problem:
            item.note = problem
        item.save()
        version_record(item, draft, now, f"published by {_who(user)}")
    return item


def item_hold(item: WireItem, *, user=None, now=None) -> WireItem:
    """Keep the item as it is: nothing further is published from it until an editor does."""
    now = now or timezone.now()
    with transaction.atomic():
        item = WireItem.objects.select_for_update().get(pk=item.pk)
        item.status = Status.HELD
        item.note = f"Held by {_who(user)}; later wire versions wait in the queue."
        item.save(update_fields=["status", "note"])
    return item


def item_kill(item: WireItem, *, user=None, reason: str = "", now=None) -> WireItem:
    """Take the item's story off the site (if any) and ignore the item's later versions."""
    now = now or timezone.now()
    why = f"Killed from the wire queue by {_who(user)}" + (f": {reason}" if reason else "")
    with transaction.atomic():
        item = (
            WireItem.objects.select_for_update(of=("self",)).select_related("story").get(pk=item.pk)
        )
        if item.story is not None and item.story.live:
            story_unpublish(item.story, reason=why, user=user)
        item.status = Status.KILLED
        item.note = why
        item.save(update_fields=["status", "note"])
    return item


def _who(user) -> str:
    if user is None:
        return "the wire desk"
    return user.get_full_name() or user.get_username()
