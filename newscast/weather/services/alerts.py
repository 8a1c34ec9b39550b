"""Apply the NWS alerts stream for the covered states to the stored messages.

Polled every minute with If-Modified-Since. Messages are stored as they come, in whatever order
and batches (a whole /alerts/active snapshot, or one message at a time); which are in force is
worked out again from every stored message (newscast.weather.alerts). A message in force that
leaves the feed without a Cancel is looked up once at /alerts/{id}, and its `replacedAt` honoured.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from newscast.core.selectors import station_for_default_site
from newscast.weather import selectors
from newscast.weather.alerts import MessageRef, Vtec, message_states
from newscast.weather.models import AlertMessage, AlertsFeed
from newscast.weather.nws import types
from newscast.weather.nws.client import NwsClient, NwsError
from newscast.weather.nws.parse import NwsDataError, parse_alert, parse_alerts
from newscast.weather.nws.urls import active_alerts_path, alert_path
from newscast.weather.services.common import edge_renew, logger, pages_changed

# Ended messages are kept a day for the record, then dropped.
KEEP_ENDED = timedelta(days=1)
# The poll runs every minute: feed and look-ups together must finish well before the next run.
POLL_DEADLINE = timedelta(seconds=45)
# /alerts/{id} look-ups per poll at most; the rest wait for the next minute.
MAX_LOOKUPS = 10


class AlertsError(Exception):
    """The alerts feed could not be read; the stored alerts stay as they were."""


def alerts_refresh(*, now: datetime | None = None) -> str:
    """Poll the active alerts of the covered states and apply them; returns a summary line."""
    now = now or timezone.now()
    station = station_for_default_site()
    states = station.covered_state_codes() if station else []
    if not states:
        return "No covered states in the station settings; no alerts fetched."
    path = active_alerts_path(states)
    feed, _ = AlertsFeed.objects.get_or_create(path=path)
    started = timezone.now()
    try:
        answer = asyncio.run(_within(POLL_DEADLINE, _fetch_feed(path, feed.last_modified)))
    except (NwsError, NwsDataError, TimeoutError) as exc:
        reason = str(exc) or f"no answer within {POLL_DEADLINE.seconds} s"
        logger.warning("NWS alerts problem - %s: %s", path, reason)
        AlertsFeed.objects.filter(pk=feed.pk).update(last_error=reason, last_error_at=now)
        raise AlertsError(f"{path}: {reason}") from exc
    if answer is None:
        summary = "Alerts feed not modified since the last poll"
        if selectors.alert_began_or_ended_between(feed.polled_at, now):
            # No new message, but a warning began or ended by its own clock: pages kept at
            # the edge must gain or lose its banner within the minute. Only then: without a
            # new message or a warning's clock the banner cannot have changed, and drawing it
            # to compare every minute would cost the worker for nothing.
            edge_renew()
    else:
        skipped: list[str] = []
        messages = parse_alerts(answer.data, skipped=skipped)
        summary = alerts_apply(messages, now=now)
        if skipped:
            summary += f"; {len(skipped)} malformed skipped ({'; '.join(skipped)})"
        feed.last_modified = answer.headers.get("Last-Modified", "")[:40]
        feed.changed_at = now
        # Only a whole new answer says what left the feed (a 304 repeats the last one).
        summary += _look_up_vanished(now, POLL_DEADLINE - (timezone.now() - started))
    feed.polled_at = now
    feed.save(update_fields=["last_modified", "changed_at", "polled_at"])
    return summary


async def _within(limit: timedelta, work):
    async with asyncio.timeout(max(limit.total_seconds(), 0.1)):
        return await work


async def _fetch_feed(path: str, last_modified: str):
    async with NwsClient() as nws:
        answer = await nws.get(path, if_modified_since=last_modified or None)
    return None if answer.status == 304 else answer


def alerts_apply(
    messages: list[types.AlertMessage],
    *,
    now: datetime,
    is_sample: bool = False,
) -> str:
    """Store new messages (a whole answer or a single message), then work out again which
    stored messages are in force."""
    with transaction.atomic():
        summary = _apply(messages, now, is_sample)
    # After the commit, so no page caches the old state in between.
    pages_changed()
    return summary


def _apply(messages: list[types.AlertMessage], now: datetime, is_sample: bool) -> str:
    actual = [m for m in messages if m.status in ("Actual", "")]
    ids = [m.message_id for m in actual]
    known = set(
        AlertMessage.objects.filter(message_id__in=ids).values_list("message_id", flat=True)
    )
    AlertMessage.objects.filter(message_id__in=known).update(last_seen_at=now)
    AlertMessage.objects.bulk_create(
        [AlertMessage(**_row(m, now, is_sample)) for m in actual if m.message_id not in known],
        ignore_conflicts=True,  # a duplicate within one answer, or a concurrent poll
    )
    AlertMessage.objects.filter(finish__lt=now - KEEP_ENDED).delete()
    in_force = _work_out_states()
    new = len(actual) - len(known)
    return f"{len(actual)} messages in the answer, {new} new; {in_force} in force"


def _work_out_states() -> int:
    """Recompute superseded/struck codes of every stored message; returns how many are left."""
    stored = list(AlertMessage.objects.all())
    states = message_states(message_ref(m) for m in stored)
    changed = []
    for row in stored:
        state = states[row.message_id]
        values = (not state.in_force, list(state.struck_ugc), state.in_force)
        if values != (row.superseded, row.cancelled_ugc, row.in_force):
            row.superseded, row.cancelled_ugc, row.in_force = values
            changed.append(row)
    AlertMessage.objects.bulk_update(changed, ["superseded", "cancelled_ugc", "in_force"])
    return sum(1 for s in states.values() if s.in_force)


def message_ref(row: AlertMessage) -> MessageRef:
    return MessageRef(
        message_id=row.message_id,
        message_type=row.message_type,
        sent=row.sent,
        ugc=tuple(row.ugc),
        references=tuple(row.references),
        expired_references=tuple(row.expired_references),
        vtec=tuple(Vtec(action, key) for action, key in row.vtec),
        start=row.effective or row.sent,
        finish=row.finish,
        replaced_at=row.replaced_at,
    )


def _look_up_vanished(now: datetime, time_left: timedelta) -> str:
    """Ask /alerts/{id} once for each message in force that left the feed without a Cancel
    (the active-alerts feed flickers: a message missing from one answer is not ended; only
    a Cancel, its expiry or a replacement ends it)."""
    vanished = list(
        AlertMessage.objects.filter(in_force=True, is_sample=False, looked_up_at=None)
        .exclude(last_seen_at=now)
        .exclude(finish__lte=now)
        .order_by("sent")[:MAX_LOOKUPS]
    )
    if not vanished:
        return ""
    try:
        answers = asyncio.run(_within(time_left, _fetch_each([m.message_id for m in vanished])))
    except TimeoutError:
        return "; look-ups of alerts that left the feed ran out of time (next poll)"
    replaced = 0
    for row in vanished:
        replaced_at = answers.get(row.message_id)
        row.looked_up_at = now
        if replaced_at is not None:
            row.replaced_at = replaced_at
            replaced += 1
    AlertMessage.objects.bulk_update(vanished, ["looked_up_at", "replaced_at"])
    if replaced:
        pages_changed()
    return f"; {len(vanished)} left the feed, {replaced} replaced (per /alerts/{{id}})"


async def _fetch_each(ids: list[str]) -> dict[str, datetime | None]:
    async with NwsClient() as nws:
        found = await asyncio.gather(*(_replaced_at(nws, i) for i in ids))
    return dict(zip(ids, found, strict=True))


async def _replaced_at(nws: NwsClient, message_id: str) -> datetime | None:
    """When the API says the message was replaced; None when it does not (or cannot say)."""
    try:
        answer = await nws.get(alert_path(message_id))
        message = parse_alert(answer.data)
    except (NwsError, NwsDataError, TypeError, ValueError) as exc:
        logger.warning("NWS alerts problem - %s: %s", alert_path(message_id), exc)
        return None
    if message.replaced_at is None and (answer.data.get("properties") or {}).get("replacedBy"):
        # Replaced, with no time given: from the moment we learn it.
        return timezone.now()
    return message.replaced_at


def _row(message: types.AlertMessage, now: datetime, is_sample: bool) -> dict:
    return {
        "message_id": message.message_id,
        "event": message.event[:100],
        "event_key": message.event_key[:255],
        "message_type": message.message_type[:10],
        "severity": message.severity[:10],
        "urgency": message.urgency[:10],
        "certainty": message.certainty[:10],
        "headline": message.headline,
        "description": message.description,
        "instruction": message.instruction,
        "area_desc": message.area_desc,
        "ugc": message.ugc,
        "same": message.same,
        "references": message.references,
        "vtec": [[v.action, v.event_key] for v in message.vtec],
        "expired_references": list(message.expired_references),
        "replaced_at": message.replaced_at,
        "sender_name": message.sender_name[:200],
        "web": message.web[:500] if message.web.startswith(("http://", "https://")) else "",
        "sent": message.sent,
        "effective": message.effective,
        "onset": message.onset,
        "expires": message.expires,
        "ends": message.ends,
        "finish": message.finish,
        "first_seen_at": now,
        "last_seen_at": now,
        "is_sample": is_sample,
    }
