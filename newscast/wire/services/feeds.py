"""Writes of the wire desk about feeds: polling and importing them, adding and removing them.

Flow: URL -> fetch (core.http) -> parse (pure) -> draft (pure, cleaned) -> each item filed by
`newscast.wire.services.items.item_receive`. A feed that cannot be read changes nothing but
its status.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

import httpx
from django.core.cache import cache
from django.utils import timezone

from newscast.core.commits import commits_unflushed
from newscast.core.http import FetchError
from newscast.core.models.content import content_version_bumps_deferred
from newscast.core.task_backend import index_updates_batched
from newscast.core.validators import validate_http_url
from newscast.wire.fetch import feed_download, shared_client
from newscast.wire.identity import identity_digest, identity_key, is_newer
from newscast.wire.models import WireFeed
from newscast.wire.parse import FeedError, ParsedFeed, parse_feed
from newscast.wire.services.items import draft_for, item_receive

logger = logging.getLogger(__name__)

# Longest a poll may hold its feed's lock: a crashed worker's lock expires after this.
POLL_LOCK_SECONDS = 30 * 60


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


def feed_poll(feed: WireFeed, *, client: httpx.Client | None = None, now=None) -> PollResult:
    """Fetch the feed (conditionally), read it and file its items; never raises for bad input.

    The outcome, good or bad, is written to the feed's status; a failure changes nothing else.
    The poll's index updates reach the worker as one batch (core.task_backend).
    """
    with index_updates_batched():
        return _feed_poll(feed, client=client, now=now)


def _feed_poll(feed: WireFeed, *, client: httpx.Client | None, now) -> PollResult:
    now = now or timezone.now()
    if feed.section_id is None:
        return _feed_failed(feed, "the feed has no section to put stories in; choose one", now)
    with shared_client(client) as http:
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
    with shared_client(client) as http:
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
    with shared_client(client) as http:
        return feed_ingest(feed, parsed, client=http, base_url=feed.url, now=now)


def feed_ingest(
    feed: WireFeed, parsed: ParsedFeed, *, client: httpx.Client, base_url: str = "", now=None
) -> PollResult:
    """File each item of a parsed feed; an unchanged item costs no write at all.

    Each item is its own transaction, readable once filed (its commit does not wait for the
    disk: core.commits); cached lists move on once, when the whole feed is filed (the
    content version moves once per poll, not per story), and the worker indexes the poll's
    stories for search and references as one batch (core.task_backend).
    """
    now = now or timezone.now()
    result = PollResult(feed.name, items_seen=len(parsed.entries))
    result.problems.extend(parsed.warnings)
    with commits_unflushed(), content_version_bumps_deferred(), index_updates_batched():
        _entries_file(feed, parsed, result, client=client, base_url=base_url, now=now)
    return result


def _entries_file(feed, parsed: ParsedFeed, result: PollResult, *, client, base_url, now):
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
        draft = draft_for(entry, base_url or feed.url, now)
        if not draft.headline:
            result.skipped += 1
            result.problems.append(f"item {position} has no headline or summary; skipped")
            continue
        if identity in known and not is_newer(draft.version_key, known[identity]):
            result.unchanged += 1
            continue
        try:
            outcome = item_receive(
                feed, identity, entry, draft, client=client, now=now, seen_before=identity in known
            )
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
