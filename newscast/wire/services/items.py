"""Writes of the wire desk about items: what a new version of an item means (new story,
update, wait for an editor, withdraw) and writing it in one transaction per item, through the
news desk's story services. Downloads happen before that transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newscast.news.services import (
    story_create,
    story_file_live,
    story_revise,
    story_sitemap_listing_set,
    story_unpublish,
)
from newscast.wire.content import StoryDraft, byline_beside_credit, draft_from_entry
from newscast.wire.models import WireFeed, WireItem, WireItemVersion
from newscast.wire.parse import WireEntry
from newscast.wire.pictures import CheckedPicture, PictureError, picture_fetch, picture_store
from newscast.wire.videos import CaptionsError, CheckedCaptions, captions_fetch, wire_video_store

logger = logging.getLogger(__name__)

Status = WireItem.Status
# What changed between two versions, in the words of an update note.
CHANGE_WORDS = (
    ("headline", "headline"),
    ("summary", "summary"),
    ("body_html", "story text"),
    ("byline", "byline"),
    ("picture", "photo"),
    ("video", "video"),
)


def item_receive(
    feed: WireFeed,
    identity: str,
    entry: WireEntry,
    draft: StoryDraft,
    *,
    client: httpx.Client,
    now=None,
    seen_before: bool = True,
) -> str:
    """File one new version of an item; returns its outcome (new, updated, queued, ...).

    `seen_before=False` says the feed had no item of this identity when the poll began, which
    spares a lookup per story on a first import (a rival import of the same item meets the
    unique identity and fails that item, to be filed by the next poll).
    """
    now = now or timezone.now()
    item = None
    if seen_before:
        item = WireItem.objects.filter(feed=feed, identity=identity).select_related("story").first()
    plan = _plan(feed, item, entry, draft)
    picture, captions, problem = None, None, ""
    if plan in ("create", "revise"):
        picture, problem = picture_for(item, draft, client)
        captions, captions_problem = captions_for(item, draft, client)
        problem = "; ".join(p for p in (problem, captions_problem) if p)
    with transaction.atomic():
        if item is None:
            item = WireItem(feed=feed, identity=identity, first_seen_at=now)
        else:
            item = WireItem.objects.select_for_update().get(pk=item.pk)
        previous = _previous_draft(item, now)
        _item_take(item, entry, draft, now)
        media = StoryMedia(picture, captions)
        outcome, action = _carry_out(plan, feed, item, draft, previous, media, now)
        if problem:
            action += f" ({problem})"
            item.note = "; ".join(n for n in (item.note, problem) if n)
        item.save()
        version_record(item, draft, now, action)
    return outcome


def version_record(item: WireItem, draft: StoryDraft, now, action: str) -> None:
    """Keep the item's version as received, with what the desk did with it (`action`)."""
    WireItemVersion.objects.create(
        item=item,
        version_key=draft.version_key,
        content_hash=draft.content_hash,
        entry=item.entry,
        received_at=now,
        action=action[:200],
    )


def draft_for(entry: WireEntry, base_url: str, now: datetime) -> StoryDraft:
    """The cleaned story fields an entry would give, with the desk's picture limits."""
    return draft_from_entry(
        entry,
        base_url=base_url,
        now=now,
        max_picture_bytes=settings.WIRE_MAX_PICTURE_BYTES,
        max_picture_pixels=settings.WIRE_MAX_PICTURE_PIXELS,
    )


def _plan(feed: WireFeed, item: WireItem | None, entry: WireEntry, draft: StoryDraft) -> str:
    """What a new version calls for: create, revise, queue, wait, withdraw, ignore or record."""
    if item is None:
        if entry.withdrawn:
            return "withdraw"
        return "queue" if feed.policy == WireFeed.Policy.HOLD else "create"
    if item.status == Status.KILLED:
        return "ignore"
    if entry.withdrawn:
        return "withdraw"
    if item.story is None:
        if item.status == Status.WITHDRAWN and feed.policy == WireFeed.Policy.PUBLISH:
            return "create"
        return "queue"
    if item.status == Status.HELD:
        return "queue"
    if item.story.latest_revision_id != item.wire_revision_id:
        return "wait"
    if item.status == Status.PUBLISHED and not item.story.live:
        return "wait"  # an editor took it off the site; the wire must not put it back
    if draft.content_hash == item.content_hash:
        return "record"
    return "revise"


def picture_for(item, draft: StoryDraft, client) -> tuple[CheckedPicture | None, str]:
    """The lead picture to download, unless the item already has this one stored."""
    if draft.picture is None:
        return None, ""
    if item is not None and item.picture_id and item.picture_url == draft.picture.url:
        return None, ""
    try:
        return picture_fetch(client, draft.picture.url), ""
    except PictureError as exc:
        logger.warning("wire: lead picture skipped: %s", exc)
        return None, f"lead picture skipped: {exc}"


def captions_for(item, draft: StoryDraft, client) -> tuple[CheckedCaptions | None, str]:
    """The wire video's caption track to download, unless the item's video is this one."""
    video = draft.video
    if video is None or not video.captions_url:
        return None, ""
    if item is not None and item.video_id and item.video_url == video.key:
        return None, ""
    try:
        return captions_fetch(client, video.captions_url), ""
    except CaptionsError as exc:
        logger.warning("wire: video captions skipped: %s", exc)
        return None, f"video captions skipped: {exc}"


@dataclass(frozen=True)
class StoryMedia:
    """What was downloaded for a story before its transaction: the lead picture and the
    wire video's captions (None when not needed or not usable)."""

    picture: CheckedPicture | None = None
    captions: CheckedCaptions | None = None


def _previous_draft(item: WireItem, now) -> StoryDraft | None:
    if not item.entry:
        return None
    return draft_for(WireEntry.from_json(item.entry), item.link or item.feed.url, now)


def _item_take(item: WireItem, entry: WireEntry, draft: StoryDraft, now) -> None:
    item.guid = entry.guid[:1000]
    item.link = draft.canonical_url[:1000]
    item.headline = draft.headline or "(no headline)"
    item.version_key = draft.version_key[:100]
    item.content_hash = draft.content_hash
    item.entry = entry.to_json()
    item.embargoed_until = draft.embargoed_until
    item.changed_at = now
    item.note = "; ".join(draft.notes)


def _carry_out(plan, feed, item, draft, previous, media, now) -> tuple[str, str]:
    """Do the plan inside the item's transaction; returns (outcome, version action)."""
    credit = feed.credit_line
    if plan == "create":
        story_write(item, feed, draft, media, now, update_note=None)
        return "new", "published" if item.status == Status.PUBLISHED else "scheduled (embargo)"
    if plan == "revise":
        note = update_note_for(previous, draft, credit)
        story_write(item, feed, draft, media, now, update_note=note)
        return "updated", f"story updated: {note}"
    if plan == "withdraw":
        reason = f"Withdrawn by {credit} (pubstatus {item.entry.get('pubstatus')})"
        if item.story is not None and item.story.live:
            story_unpublish(item.story, reason=reason)
        item.status = Status.WITHDRAWN
        item.note = reason
        return "withdrawn", "withdrawn: story taken off the site" if item.story else "withdrawn"
    if plan == "queue":
        if item.status not in (Status.HELD, Status.KILLED):
            item.status = Status.QUEUED
        return "queued", "waiting in the queue for an editor"
    if plan == "wait":
        item.status = Status.UPDATE_WAITING
        item.note = (
            "An editor changed the story here; this wire version waits in the queue."
            if item.story.live
            else "An editor took the story off the site; this wire version waits in the queue."
        )
        return "waiting", "not applied: the story was edited here"
    if plan == "ignore":
        return "ignored", "ignored: killed by an editor"
    return "unchanged", "recorded: nothing on the page changed"


def update_note_for(previous: StoryDraft | None, draft: StoryDraft, credit: str) -> str:
    """'Updated from CNN: new headline and story text.' (what changed, in plain words)."""
    changed = []
    if previous is not None:
        for name, words in CHANGE_WORDS:
            if getattr(previous, name) != getattr(draft, name):
                changed.append(words)
    if not changed:
        return f"Updated with the latest version from {credit}."
    listed = changed[0] if len(changed) == 1 else ", ".join(changed[:-1]) + " and " + changed[-1]
    return f"Updated from {credit}: new {listed}."


def story_write(item, feed, draft, media, now, *, update_note, user=None) -> None:
    """Create or revise the item's story from the draft and remember the revision written."""
    image = _lead_image(item, draft, media.picture)
    video = _lead_video(item, feed, draft, media.captions, poster=image)
    embargo = draft.embargoed_until
    if embargo is not None and embargo <= now:
        embargo = None
    fields = {
        "title": draft.headline,
        "summary": draft.summary,
        "body": [("html", draft.body_html)] if draft.body_html else [],
        "byline": byline_beside_credit(draft.byline, feed.credit_line),
        "source_credit": feed.credit_line,
        "canonical_url": draft.canonical_url,
        "lead_image": image,
        "lead_caption": draft.picture.caption if draft.picture and image else "",
        "lead_credit": draft.picture.credit if draft.picture and image else "",
        "lead_video": video,
    }
    if item.story is None:
        story = _story_new(feed, fields, draft, embargo, user)
    else:
        if embargo:
            fields["go_live_at"] = embargo
        story = story_revise(item.story, fields=fields, update_note=update_note, user=user)
        story_sitemap_listing_set([story.pk], listed=feed.list_in_sitemaps)
    item.story = story
    item.wire_revision_id = story.latest_revision_id
    item.status = Status.SCHEDULED if embargo else Status.PUBLISHED
    if embargo:
        item.note = f"Embargoed until {embargo.isoformat()}; scheduled to publish then."


def _story_new(feed, fields: dict, draft: StoryDraft, embargo, user):
    """The item's first story: live at once by the news desk's short path for cleaned copy,
    or through Wagtail's whole path when embargoed (scheduled) or the headline gives no
    address (its full clean then says why)."""
    tags, posted_at = feed.tag_list(), draft.posted_at
    if embargo is None:
        story = story_file_live(
            feed.section,
            **fields,
            tags=tags,
            posted_at=posted_at,
            listed_in_sitemaps=feed.list_in_sitemaps,
            user=user,
        )
        if story is not None:
            return story
    story = story_create(
        feed.section,
        **fields,
        tags=tags,
        publish=True,
        go_live_at=embargo,
        posted_at=posted_at,
        user=user,
    )
    story_sitemap_listing_set([story.pk], listed=feed.list_in_sitemaps)
    return story


def _lead_image(item: WireItem, draft: StoryDraft, picture: CheckedPicture | None):
    """A freshly downloaded picture, else the one stored for the same URL, else none."""
    if draft.picture is None:
        item.picture, item.picture_url = None, ""
        return None
    if picture is not None:
        title = draft.picture.caption or draft.headline
        item.picture = picture_store(picture, title=title)
        item.picture_url = draft.picture.url
    return item.picture


def _lead_video(item: WireItem, feed, draft: StoryDraft, captions, *, poster):
    """The item's wire video in the library: the one stored for the same video, else a new
    web-only one (with the captions downloaded for it), else none."""
    if draft.video is None:
        item.video, item.video_url = None, ""
        return None
    if not (item.video_id and item.video_url == draft.video.key):
        item.video = wire_video_store(
            draft.video, captions, title=draft.headline, credit=feed.credit_line, poster=poster
        )
        item.video_url = draft.video.key
    return item.video
