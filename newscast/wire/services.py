"""Writes of the wire desk: polling and importing feeds, turning items into stories, and the
queue actions editors take (publish, hold, kill).

Flow: URL -> fetch (core.http) -> parse (pure) -> draft (pure, cleaned) -> `item_receive`,
which decides what a version means (new story, update, wait for an editor, withdraw) and
writes it in one transaction per item, through the news desk's story services. Downloads
happen before that transaction. A feed that cannot be read changes nothing but its status.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

import httpx
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from newscast.core.http import FetchError
from newscast.core.validators import validate_http_url
from newscast.news.services import (
    story_create,
    story_revise,
    story_sitemap_listing_set,
    story_unpublish,
)
from newscast.wire.content import StoryDraft, byline_beside_credit, draft_from_entry
from newscast.wire.fetch import feed_download, wire_client
from newscast.wire.identity import identity_digest, identity_key, is_newer
from newscast.wire.models import WireFeed, WireItem, WireItemVersion
from newscast.wire.parse import FeedError, ParsedFeed, WireEntry, parse_feed
from newscast.wire.pictures import CheckedPicture, PictureError, picture_fetch, picture_store
from newscast.wire.videos import CaptionsError, CheckedCaptions, captions_fetch, wire_video_store

logger = logging.getLogger(__name__)

Status = WireItem.Status
# Longest a poll may hold its feed's lock: a crashed worker's lock expires after this.
POLL_LOCK_SECONDS = 30 * 60
# What changed between two versions, in the words of an update note.
CHANGE_WORDS = (
    ("headline", "headline"),
    ("summary", "summary"),
    ("body_html", "story text"),
    ("byline", "byline"),
    ("picture", "photo"),
    ("video", "video"),
)


class WireError(Exception):
    """A feed could not be polled or imported; `str()` says why in plain words."""


@dataclass
class PollResult:
    """What one poll or import of a feed did, counted by outcome."""

    feed: str
    items_seen: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    queued: int = 0
    waiting: int = 0
    withdrawn: int = 0
    ignored: int = 0
    failed: int = 0
    skipped: int = 0
    not_modified: bool = False
    error: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        if self.error:
            return f"failed: {self.error}"
        if self.not_modified:
            return "not modified since the last poll"
        counts = [
            f"{getattr(self, name)} {label}"
            for name, label in (
                ("new", "new"),
                ("updated", "updated"),
                ("unchanged", "unchanged"),
                ("queued", "queued for an editor"),
                ("waiting", "updates waiting (edited here)"),
                ("withdrawn", "withdrawn"),
                ("ignored", "ignored (killed)"),
                ("failed", "failed"),
                ("skipped", "skipped"),
            )
            if getattr(self, name) or name in ("new", "updated", "unchanged")
        ]
        text = f"{self.items_seen} items: " + ", ".join(counts)
        if self.problems:
            text += "; " + "; ".join(self.problems)
        return text


# --- Feeds -----------------------------------------------------------------------------


@contextlib.contextmanager
def _client_for(client: httpx.Client | None):
    if client is not None:
        yield client
        return
    with wire_client() as own:
        yield own


def feed_poll(feed: WireFeed, *, client: httpx.Client | None = None, now=None) -> PollResult:
    """Fetch the feed (conditionally), read it and file its items; never raises for bad input.

    The outcome, good or bad, is written to the feed's status; a failure changes nothing else.
    """
    now = now or timezone.now()
    if feed.section_id is None:
        return _feed_failed(feed, "the feed has no section to put stories in; choose one", now)
    with _client_for(client) as http:
        try:
            fetched = feed_download(
                http, feed.url, etag=feed.etag, last_modified=feed.last_modified
            )
        except FetchError as exc:
            return _feed_failed(feed, str(exc), now)
        body_hash = hashlib.sha256(fetched.content).hexdigest()
        if fetched.not_modified or (feed.body_hash and body_hash == feed.body_hash):
            # A 304, or a server without validators sending the very same bytes again.
            result = PollResult(feed.name, items_seen=feed.items_seen, not_modified=True)
            _feed_succeeded(feed, result, now)
            return result
        try:
            parsed = parse_feed(
                fetched.content,
                content_type=fetched.headers.get("content-type", ""),
                fmt=feed.format,
            )
        except FeedError as exc:
            return _feed_failed(feed, f"{feed.url}: {exc}", now)
        result = feed_ingest(feed, parsed, client=http, base_url=fetched.url, now=now)
    # Validators are kept only when every item was filed, so a failed item is retried.
    validators = {}
    if not result.failed:
        validators = {
            "etag": fetched.headers.get("etag", ""),
            "last_modified": fetched.headers.get("last-modified", ""),
            "body_hash": body_hash,
        }
    _feed_succeeded(feed, result, now, **validators)
    return result


def feeds_poll(feeds, *, client: httpx.Client | None = None) -> list[PollResult]:
    """Poll each feed in turn with one shared client; a feed's failure stays its own.

    A feed another worker (or a slow earlier run) is still polling is left to it: the lock
    lives in the cache (Redis in production), so it costs no database write.
    """
    results = []
    with _client_for(client) as http:
        for feed in feeds:
            lock = f"wire:polling:{feed.pk}"
            if not cache.add(lock, timezone.now().isoformat(), POLL_LOCK_SECONDS):
                results.append(PollResult(feed.name, problems=["a poll is already running"]))
                continue
            try:
                results.append(feed_poll(feed, client=http))
            except Exception as exc:  # a bug in one feed's items must not stop the others
                logger.exception("wire: %s: poll failed", feed.name)
                results.append(_feed_failed(feed, f"unexpected error: {exc}", timezone.now()))
            finally:
                cache.delete(lock)
    return results


def poll_summary(results: list[PollResult]) -> str:
    """'2 feeds polled, 1 failed. CNN: 12 items: ...' for the job record and the CLI."""
    if not results:
        return "no feeds were due"
    failed = sum(1 for r in results if not r.ok)
    head = f"{len(results)} feed(s) polled" + (f", {failed} failed" if failed else "")
    return head + ". " + " | ".join(f"{r.feed}: {r.summary()}" for r in results)


def feed_import(
    feed: WireFeed,
    content: bytes,
    *,
    content_type: str = "",
    client: httpx.Client | None = None,
    now=None,
) -> PollResult:
    """File the items of a saved feed file as a poll would file them.

    The feed's status is left alone: it tells how polling the feed's address goes, and a
    bad file on someone's disk says nothing about that. The caller reports the result.
    """
    now = now or timezone.now()
    if feed.section_id is None:
        return PollResult(feed.name, error="the feed has no section to put stories in; choose one")
    try:
        parsed = parse_feed(content, content_type=content_type, fmt=feed.format, from_file=True)
    except FeedError as exc:
        logger.warning("wire: %s: import refused: %s", feed.name, exc)
        return PollResult(feed.name, error=str(exc))
    with _client_for(client) as http:
        return feed_ingest(feed, parsed, client=http, base_url=feed.url, now=now)


def feed_ingest(
    feed: WireFeed, parsed: ParsedFeed, *, client: httpx.Client, base_url: str = "", now=None
) -> PollResult:
    """File each item of a parsed feed; an unchanged item costs no write at all."""
    now = now or timezone.now()
    result = PollResult(feed.name, items_seen=len(parsed.entries))
    result.problems.extend(parsed.warnings)
    known = dict(feed.items.values_list("identity", "version_key"))
    seen: set[str] = set()
    duplicates = 0
    for position, entry in enumerate(parsed.entries, start=1):
        key = identity_key(entry.guid, entry.link)
        if not key:
            result.skipped += 1
            result.problems.append(f"item {position} has neither a guid nor a link; skipped")
            continue
        identity = identity_digest(key)
        if identity in seen:
            duplicates += 1
            continue
        seen.add(identity)
        draft = _draft(entry, base_url or feed.url, now)
        if not draft.headline:
            result.skipped += 1
            result.problems.append(f"item {position} has no headline or summary; skipped")
            continue
        if identity in known and not is_newer(draft.version_key, known[identity]):
            result.unchanged += 1
            continue
        try:
            outcome = item_receive(feed, identity, entry, draft, client=client, now=now)
        except Exception as exc:  # one bad item must not stop the rest of the feed
            logger.exception("wire: %s: item %r could not be filed", feed.name, entry.guid)
            result.failed += 1
            result.problems.append(f"{draft.headline[:80]!r} could not be filed: {exc}")
            continue
        result.count(outcome)
    if duplicates:
        result.problems.append(
            f"{duplicates} item(s) repeated a guid already in this feed; the first was kept"
        )
    return result


def _draft(entry: WireEntry, base_url: str, now: datetime) -> StoryDraft:
    return draft_from_entry(
        entry,
        base_url=base_url,
        now=now,
        max_picture_bytes=settings.WIRE_MAX_PICTURE_BYTES,
        max_picture_pixels=settings.WIRE_MAX_PICTURE_PIXELS,
    )


def _feed_failed(feed: WireFeed, message: str, now) -> PollResult:
    logger.warning("wire: %s: %s", feed.name, message)
    feed.last_polled_at = now
    feed.last_error = message
    feed.last_error_at = now
    feed.save(update_fields=["last_polled_at", "last_error", "last_error_at"])
    return PollResult(feed.name, error=message)


def _feed_succeeded(feed: WireFeed, result: PollResult, now, **validators) -> None:
    feed.last_polled_at = now
    feed.last_success_at = now
    feed.items_seen = result.items_seen
    feed.last_result = result.summary()[:500]
    feed.last_error = ""
    fields = ["last_polled_at", "last_success_at", "items_seen", "last_result", "last_error"]
    for name, value in validators.items():
        setattr(feed, name, value[:500])
        fields.append(name)
    feed.save(update_fields=fields)


# --- Items -----------------------------------------------------------------------------


def item_receive(
    feed: WireFeed,
    identity: str,
    entry: WireEntry,
    draft: StoryDraft,
    *,
    client: httpx.Client,
    now=None,
) -> str:
    """File one new version of an item; returns its outcome (new, updated, queued, ...)."""
    now = now or timezone.now()
    item = WireItem.objects.filter(feed=feed, identity=identity).select_related("story").first()
    plan = _plan(feed, item, entry, draft)
    picture, captions, problem = None, None, ""
    if plan in ("create", "revise"):
        picture, problem = _picture_for(item, draft, client)
        captions, captions_problem = _captions_for(item, draft, client)
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
        WireItemVersion.objects.create(
            item=item,
            version_key=draft.version_key,
            content_hash=draft.content_hash,
            entry=item.entry,
            received_at=now,
            action=action[:200],
        )
    return outcome


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


def _picture_for(item, draft: StoryDraft, client) -> tuple[CheckedPicture | None, str]:
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


def _captions_for(item, draft: StoryDraft, client) -> tuple[CheckedCaptions | None, str]:
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
    return _draft(WireEntry.from_json(item.entry), item.link or item.feed.url, now)


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
        _story_write(item, feed, draft, media, now, update_note=None)
        return "new", "published" if item.status == Status.PUBLISHED else "scheduled (embargo)"
    if plan == "revise":
        note = update_note_for(previous, draft, credit)
        _story_write(item, feed, draft, media, now, update_note=note)
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


def _story_write(item, feed, draft, media, now, *, update_note, user=None) -> None:
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
        story = story_create(
            feed.section,
            **fields,
            tags=feed.tag_list(),
            publish=True,
            go_live_at=embargo,
            posted_at=draft.posted_at,
            user=user,
        )
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


# --- Queue actions (editors) -----------------------------------------------------------


def item_publish(item: WireItem, *, user=None, client: httpx.Client | None = None, now=None):
    """Put the item's latest wire version on the site, over any local edit (the editor chose).

    Creates the story if there is none yet; otherwise revises it and publishes.
    """
    now = now or timezone.now()
    feed = item.feed
    if feed.section_id is None:
        raise WireError(f"{feed.name} has no section to put stories in; choose one first")
    draft = _draft(WireEntry.from_json(item.entry), item.link or feed.url, now)
    with _client_for(client) as http:
        picture, problem = _picture_for(item, draft, http)
        captions, captions_problem = _captions_for(item, draft, http)
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
        _story_write(item, feed, draft, media, now, update_note=note, user=user)
        if problem:
            item.note = problem
        item.save()
        _log_action(item, draft, now, f"published by {_who(user)}")
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


def _log_action(item: WireItem, draft: StoryDraft, now, action: str) -> None:
    WireItemVersion.objects.create(
        item=item,
        version_key=draft.version_key,
        content_hash=draft.content_hash,
        entry=item.entry,
        received_at=now,
        action=action[:200],
    )


def feed_add(
    *, name: str, url: str, section, credit_line: str, format: str, hold: bool
) -> WireFeed:
    """A new active feed, validated as the admin form validates it.

    Raises django.core.exceptions.ValidationError (a taken name, a URL that is not http(s),
    an unknown format) and writes nothing then.
    """
    feed = WireFeed(
        name=name.strip(),
        url=url.strip(),
        section=section,
        credit_line=credit_line.strip(),
        format=format,
        policy=WireFeed.Policy.HOLD if hold else WireFeed.Policy.PUBLISH,
    )
    feed.full_clean()
    validate_http_url(feed.url, "url")
    feed.save()
    logger.info("wire: feed %s added (%s)", feed.name, feed.url)
    return feed


def feed_remove(feed: WireFeed) -> int:
    """Delete a feed and its wire items; the stories it made stay on the site.

    Returns how many wire items went with it.
    """
    items = feed.items.count()
    feed.delete()
    logger.info("wire: feed %s removed with %d item(s)", feed.name, items)
    return items
