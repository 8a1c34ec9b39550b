"""What "in force" means, tried on real alert histories (docs/weather.md, "Alerts").

The truth each test compares with comes from the messages' own fields (effective, ends/expires,
replacedAt, and the counties a Cancel names), not from the state machine under test.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from newscast.weather.alerts import MessageRef, in_force_at, message_states
from newscast.weather.models import AlertMessage, AlertsFeed
from newscast.weather.nws import types
from newscast.weather.nws.parse import parse_alerts
from newscast.weather.selectors import alert_list_active
from newscast.weather.services import alerts_apply, alerts_refresh
from newscast.weather.services.alerts import message_ref

from .conftest import GEOJSON, recorded

MOB_HISTORY = "alerts_point_history_2025-11-25_MOB.json"
OK_EARLIER = "alerts_active_area_OK_2025-04-19_2242CDT.json"
OK_LATER = "alerts_active_area_OK_2025-04-19_2324CDT.json"
OK_EARLIER_AT = datetime(2025, 4, 20, 3, 42, 51, tzinfo=UTC)  # the feeds' own `updated`
OK_LATER_AT = datetime(2025, 4, 20, 4, 23, 51, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def _ref(message: types.AlertMessage) -> MessageRef:
    return MessageRef(
        message_id=message.message_id,
        message_type=message.message_type,
        sent=message.sent,
        ugc=tuple(message.ugc),
        references=tuple(message.references),
        expired_references=message.expired_references,
        vtec=message.vtec,
        start=message.effective or message.sent,
        finish=message.finish,
        replaced_at=message.replaced_at,
    )


def _history() -> list[types.AlertMessage]:
    return sorted(parse_alerts(recorded(MOB_HISTORY)), key=lambda m: m.sent)


def _truth(messages: list[types.AlertMessage], now: datetime) -> set[tuple[str, str]]:
    """(VTEC event, county/zone) pairs in force at `now` by the messages' own times: from
    effective until the earliest of ends/expires and replacedAt, less the codes a Cancel of
    the same event sent since (and by `now`) names."""
    pairs = set()
    for m in messages:
        if m.message_type == "Cancel":
            continue
        stops = [t for t in (m.finish, m.replaced_at) if t is not None]
        if not ((m.effective or m.sent) <= now and (not stops or now < min(stops))):
            continue
        for code in m.ugc:
            cancelled = any(
                c.message_type == "Cancel"
                and c.event_key == m.event_key
                and code in c.ugc
                and m.sent <= c.sent <= now
                for c in messages
            )
            if not cancelled:
                pairs.add((m.event_key, code))
    return pairs


def _pairs(messages: list[types.AlertMessage], live: dict[str, tuple[str, ...]]) -> set:
    keys = {m.message_id: m.event_key for m in messages}
    return {(keys[message_id], code) for message_id, codes in live.items() for code in codes}


def test_mob_history_replayed_message_by_message_matches_the_truth_at_every_minute():
    """Each message becomes known at its `sent` minute, one at a time, as a source that sends
    them singly (or a missed poll) would deliver them; at every minute from the first message
    to the last end, what is in force equals the truth."""
    history = _history()
    assert len(history) == 11
    first = history[0].sent.replace(second=0)
    last = max(m.finish for m in history) + 2 * MINUTE
    minutes, now, differences = 0, first, []
    while now <= last:
        known = [m for m in history if m.sent <= now]
        live = in_force_at([_ref(m) for m in known], now)
        expected = _truth(history, now)
        if _pairs(known, live) != expected:
            differences.append((now, _pairs(known, live) ^ expected))
        minutes += 1
        now += MINUTE
    assert minutes > 8000  # six days of minutes
    assert differences == []


def test_mob_history_in_any_arrival_order_gives_the_same_state():
    """Messages that arrive late (newest first here) change nothing once all are known."""
    history = _history()
    forward = message_states(_ref(m) for m in history)
    backward = message_states(_ref(m) for m in reversed(history))
    assert forward == backward


def test_mob_partial_cancel_removes_only_the_county_it_names():
    history = _history()
    cancel = next(m for m in history if m.message_type == "Cancel" and m.event == "Tornado Watch")
    at = cancel.sent + MINUTE
    live = in_force_at([_ref(m) for m in history if m.sent <= at], at)
    codes = {code for codes in live.values() for code in codes}
    assert "ALC129" not in codes  # Washington, AL: cancelled at 4:54 PM
    assert {"ALC013", "ALC025", "ALC131"} <= codes  # the rest of the watch continues


@pytest.fixture
def mobile_covered(station, settings):
    """Washington County, AL and its zone (the history's point) as covered areas."""
    settings.WEATHER_BANNER_UGC = ["ALC129", "ALZ051"]


def test_mob_history_through_the_service_one_message_at_a_time(mobile_covered):
    """The same replay through storage and the alerts page's reads, checked at every minute
    where anything starts, ends, is replaced or cancelled (and the minute either side)."""
    history = _history()
    moments = set()
    for m in history:
        for t in (m.sent, m.effective, m.finish, m.replaced_at):
            if t is not None:
                minute = t.replace(second=0, microsecond=0)
                moments.update({minute - MINUTE, minute, minute + MINUTE, t})
    pending = list(history)
    for now in sorted(moments):
        arriving = [m for m in pending if m.sent <= now]
        for message in arriving:  # one message at a time
            alerts_apply([message], now=now)
            pending.remove(message)
        active = alert_list_active(now)
        shown = {(a.event_key, code) for a in active.all for code in a.ugc_in_force}
        assert shown == _truth(history, now), now


def _features(name: str) -> dict:
    return {f["properties"]["id"]: f for f in recorded(name)["features"]}


def _serve_ok_snapshots(nws):
    """The two real snapshots in order, and /alerts/{id} for a message that left the feed:
    the message as recorded, with replacedBy/replacedAt naming the later message that
    references it (the shape of superseded messages in the MOB history)."""
    query = {"status": "actual", "area": "OK"}
    earlier, later = _features(OK_EARLIER), _features(OK_LATER)
    nws.expect_ordered_request("/alerts/active", query_string=query).respond_with_json(
        recorded(OK_EARLIER), content_type=GEOJSON, headers={"Last-Modified": "A"}
    )
    nws.expect_ordered_request("/alerts/active", query_string=query).respond_with_json(
        recorded(OK_LATER), content_type=GEOJSON, headers={"Last-Modified": "B"}
    )
    looked_up = []
    for message_id in set(earlier) - set(later):
        feature = json.loads(json.dumps(earlier[message_id]))
        successor = next(
            (
                f["properties"]
                for f in later.values()
                if message_id in {r["identifier"] for r in f["properties"]["references"]}
            ),
            None,
        )
        if successor:
            feature["properties"]["replacedBy"] = successor["@id"]
            feature["properties"]["replacedAt"] = successor["sent"]
        nws.expect_request(f"/alerts/{message_id}").respond_with_handler(
            lambda request, feature=feature: (
                looked_up.append(feature["properties"]["id"]),
                _json_response(feature),
            )[1]
        )
    return later, looked_up


def _json_response(data):
    from werkzeug import Response

    return Response(json.dumps(data), content_type=GEOJSON)


@pytest.fixture
def oklahoma(station):
    from newscast.core.models import CoveredState

    CoveredState.objects.filter(station=station).delete()
    CoveredState.objects.create(station=station, postal_code="OK")
    return station


def test_ok_snapshots_give_exactly_the_later_feeds_alerts_in_force(oklahoma, nws):
    later, looked_up = _serve_ok_snapshots(nws)
    alerts_refresh(now=OK_EARLIER_AT)
    summary = alerts_refresh(now=OK_LATER_AT)
    expected = {
        message_id
        for message_id, feature in later.items()
        if feature["properties"]["messageType"] != "Cancel"
        and datetime.fromisoformat(
            feature["properties"]["ends"] or feature["properties"]["expires"]
        )
        > OK_LATER_AT
    }
    shown = {a.message_id for a in alert_list_active(OK_LATER_AT).all}
    assert shown == expected, summary
    assert len(shown) == 35
    # Tornado Warning 0027 for Logan and Oklahoma counties: the EXP Update speaks for Logan
    # only; Oklahoma County ended with it, as /alerts/{id} said, asked once.
    assert len(looked_up) == 1 and "1 replaced" in summary
    nws.check_assertions()


def test_if_modified_since_and_the_last_successful_poll(oklahoma, nws):
    query = {"status": "actual", "area": "OK"}
    last_modified = "Sun, 20 Apr 2025 03:42:51 GMT"
    nws.expect_ordered_request("/alerts/active", query_string=query).respond_with_json(
        recorded(OK_EARLIER), content_type=GEOJSON, headers={"Last-Modified": last_modified}
    )
    nws.expect_ordered_request(
        "/alerts/active", query_string=query, headers={"If-Modified-Since": last_modified}
    ).respond_with_data("", status=304)
    alerts_refresh(now=OK_EARLIER_AT)
    summary = alerts_refresh(now=OK_EARLIER_AT + MINUTE)
    assert summary.startswith("Alerts feed not modified")
    feed = AlertsFeed.objects.get()
    assert feed.polled_at == OK_EARLIER_AT + MINUTE and feed.changed_at == OK_EARLIER_AT
    assert AlertMessage.objects.count() == 29
    nws.check_assertions()


def test_expired_references_end_a_message(station):
    """The 2026 Mississippi flood warnings list predecessors in expiredReferences."""
    messages = parse_alerts(recorded("alerts_active_MS_subset_2026-05-14.json"))
    named = {ref for m in messages for ref in m.expired_references}
    assert named
    predecessor = next(iter(named))
    old = json.loads(json.dumps(recorded("alerts_active_MS_subset_2026-05-14.json")))
    feature = old["features"][0]
    feature["properties"].update(id=predecessor, messageType="Alert", references=[])
    feature["properties"]["sent"] = "2026-05-14T08:00:00-05:00"
    feature["properties"]["effective"] = "2026-05-14T08:00:00-05:00"
    feature["properties"]["parameters"].pop("expiredReferences", None)
    now = datetime(2026, 5, 14, 16, 35, tzinfo=UTC)
    alerts_apply(parse_alerts({"features": [feature]}), now=now)
    assert predecessor in {a.message_id for a in alert_list_active(now).all}
    alerts_apply(messages, now=now)
    assert predecessor not in {a.message_id for a in alert_list_active(now).all}
    row = AlertMessage.objects.get(message_id=predecessor)
    assert row.superseded and message_ref(row).message_id == predecessor


def test_vtec_cancel_without_references_ends_the_counties_it_names():
    """A CAN for one county of the same VTEC event ends it there, even if the Cancel names
    no earlier message (a source that dropped the references)."""
    t0 = datetime(2025, 10, 16, 0, 47, tzinfo=UTC)
    from newscast.weather.alerts import Vtec

    alert = MessageRef(
        "a", "Alert", t0, ("MSC081", "MSC115"), vtec=(Vtec("NEW", "KMEG.TO.W.0042"),),
        finish=t0 + timedelta(hours=1),
    )  # fmt: skip
    cancel = MessageRef(
        "c", "Update", t0 + 10 * MINUTE, ("MSC115",), vtec=(Vtec("CAN", "KMEG.TO.W.0042"),),
        finish=t0 + 25 * MINUTE,
    )  # fmt: skip
    live = in_force_at([alert, cancel], t0 + 11 * MINUTE)
    assert live == {"a": ("MSC081",)}  # the CAN message is never itself a hazard
    upgrade = MessageRef(
        "u", "Update", t0 + 12 * MINUTE, ("MSC081",),
        vtec=(Vtec("UPG", "KMEG.TO.W.0042"), Vtec("NEW", "KMEG.TO.W.0043")),
        finish=t0 + 2 * timedelta(hours=1),
    )  # fmt: skip
    assert in_force_at([alert, cancel, upgrade], t0 + 13 * MINUTE) == {"u": ("MSC081",)}


def test_not_in_force_before_it_takes_effect():
    t0 = datetime(2025, 10, 16, 0, 47, tzinfo=UTC)
    later = MessageRef(
        "a", "Alert", t0, ("MSC081",), start=t0 + 5 * MINUTE, finish=t0 + 60 * MINUTE
    )
    assert in_force_at([later], t0 + 4 * MINUTE) == {}
    assert in_force_at([later], t0 + 5 * MINUTE) == {"a": ("MSC081",)}
