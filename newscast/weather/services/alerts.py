"""Apply the NWS alerts stream for the covered states to the stored messages."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from newscast.weather.alerts import MessageRef, message_states
from newscast.weather.models import AlertMessage
from newscast.weather.nws import types
from newscast.weather.nws.client import NwsClient, NwsError
from newscast.weather.nws.parse import NwsDataError, parse_alerts
from newscast.weather.nws.urls import active_alerts_path
from newscast.weather.services.common import logger, pages_changed, station_settings

# Ended messages are kept a day for the record, then dropped.
KEEP_ENDED = timedelta(days=1)


class AlertsError(Exception):
    """The alerts feed could not be read; the stored alerts stay as they were."""


def alerts_refresh(*, now: datetime | None = None) -> str:
    """Fetch the active alerts of the covered states and apply them; returns a summary."""
    now = now or timezone.now()
    station = station_settings()
    states = station.covered_state_codes() if station else []
    if not states:
        return "No covered states in the station settings; no alerts fetched."
    path = active_alerts_path(states)
    try:
        messages = asyncio.run(_fetch(path))
    except (NwsError, NwsDataError) as exc:
        logger.warning("NWS alerts problem - %s: %s", path, exc)
        raise AlertsError(f"{path}: {exc}") from exc
    return alerts_apply(messages, now=now)


async def _fetch(path: str) -> list[types.AlertMessage]:
    async with NwsClient() as nws:
        answer = await nws.get(path)
    return parse_alerts(answer.data)


def alerts_apply(
    messages: list[types.AlertMessage], *, now: datetime, is_sample: bool = False
) -> str:
    """Store new messages, then work out again which stored messages are in force."""
    with transaction.atomic():
        summary = _apply(messages, now, is_sample)
    # After the commit, so no page caches the old state in between.
    pages_changed()
    return summary


def _apply(messages: list[types.AlertMessage], now: datetime, is_sample: bool) -> str:
    actual = [m for m in messages if m.status in ("Actual", "")]
    known = set(
        AlertMessage.objects.filter(message_id__in=[m.message_id for m in actual]).values_list(
            "message_id", flat=True
        )
    )
    for message in actual:
        if message.message_id in known:
            AlertMessage.objects.filter(message_id=message.message_id).update(last_seen_at=now)
        else:
            AlertMessage.objects.create(**_row(message, now, is_sample))
    AlertMessage.objects.filter(finish__lt=now - KEEP_ENDED).delete()
    stored = list(AlertMessage.objects.all())
    states = message_states(
        MessageRef(m.message_id, m.message_type, tuple(m.references), tuple(m.ugc)) for m in stored
    )
    for row in stored:
        state = states[row.message_id]
        values = (state.superseded, list(state.cancelled_ugc), state.in_force)
        if values != (row.superseded, row.cancelled_ugc, row.in_force):
            row.superseded, row.cancelled_ugc, row.in_force = values
            row.save(update_fields=["superseded", "cancelled_ugc", "in_force"])
    in_force = sum(1 for s in states.values() if s.in_force)
    return (
        f"{len(actual)} messages in the feed, {len(actual) - len(known)} new; {in_force} in force"
    )


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
