"""The alert drill: the recorded tornado-warning sequence for Lee County played as sample
alerts (labelled so on the banner and alerts page), to train staff or show the demo. Played
by `newscast weather drill STEP` and by the drill buttons on the admin's Weather desk.
`clear` removes every sample alert; live alerts are never touched."""

from __future__ import annotations

import json
from datetime import datetime

from django.utils import timezone

from newscast.weather.demo import (
    ALERT_STEPS,
    FIRST_ALERT_AT,
    SAMPLE_DIR,
    shift_alert_wording,
    shift_times,
)
from newscast.weather.models import AlertMessage
from newscast.weather.nws.parse import parse_alerts
from newscast.weather.services.alerts import alerts_apply
from newscast.weather.services.common import pages_changed

DRILL_STEPS = (*ALERT_STEPS, "clear")


def alert_drill(step: str, *, now: datetime | None = None) -> str:
    """Play one drill step ("alert", "update", "cancel" or "clear"); returns what it did."""
    if step not in DRILL_STEPS:
        raise ValueError(f"unknown drill step {step!r}; one of {', '.join(DRILL_STEPS)}")
    if step == "clear":
        removed, _ = AlertMessage.objects.filter(is_sample=True).delete()
        pages_changed()
        return f"Removed {removed} sample alert messages."
    now = now or timezone.now()
    name, minutes_after = ALERT_STEPS[step]
    # Times move so that this step happens now, as it did in the recording.
    delta = now - FIRST_ALERT_AT - minutes_after
    summary = ""
    # Earlier steps not played yet are played first, on the same timeline: `alert` then
    # `cancel` must end the warning as the recording did (the Update carried the Pontotoc
    # Cancel), not leave half of it in force.
    for earlier in list(ALERT_STEPS)[: list(ALERT_STEPS).index(step) + 1]:
        messages = _messages(ALERT_STEPS[earlier][0], delta)
        if earlier == step or not _all_stored(messages):
            summary = alerts_apply(messages, now=now, is_sample=True)
    return f"Sample {step}: {summary}"


def _messages(name: str, delta):
    text = (SAMPLE_DIR / "alerts" / name).read_text()
    return parse_alerts(json.loads(shift_alert_wording(shift_times(text, delta), delta)))


def _all_stored(messages) -> bool:
    ids = {m.message_id for m in messages}
    return AlertMessage.objects.filter(message_id__in=ids).count() == len(ids)
