"""The alerts stream as a state machine: which messages are in force, for which counties and
zones (UGC codes), at a given moment; and which warnings touch the station's counties. Pure
functions over plain values (docs/weather.md, "Alerts"; NWS Directive 10-1703 for VTEC,
https://www.weather.gov/vtec/).

Every NWS message has its own id and speaks for the UGC codes it lists. A message is in force
from its `effective` (else `sent`) time until `ends` (else `expires`), for the codes no later
message has taken from it:

- a later message of the same VTEC event (office.phenomenon.significance.number) takes the codes
  it lists: CON, EXT, EXA, EXB continue the event under the new message; CAN, UPG end it there
  (a partial Cancel removes only the counties it names); EXP continues it until its end;
- an Update or Cancel whose `references` name the message takes the codes it lists (all of them
  when it lists none): alerts without VTEC, such as Special Weather Statements, end this way;
- a message named in `parameters.expiredReferences` is over entirely;
- a message the API says was replaced (`replacedAt`, from the message itself or `/alerts/{id}`)
  is over from that moment.

Cancels, and messages whose own VTEC action is CAN or UPG, are never in force themselves. The
order messages arrive in does not matter: the state is worked out again from every message
known, by their `sent` times.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from newscast.core.states import STATE_FIPS

# Banner-worthy: warnings for life-threatening, fast events (weather.gov's top priorities).
BANNER_SEVERITIES = frozenset({"Extreme", "Severe"})
# VTEC actions that end an event for the codes listed (Directive 10-1703, section 2.1).
ENDING_ACTIONS = frozenset({"CAN", "UPG"})
ALL_AREAS = "*"  # stands for "every code" of a message that lists none

VTEC = re.compile(
    r"/[OTEX]\.(?P<action>[A-Z]{3})\.(?P<office>\w{4})\.(?P<ph>\w{2})\.(?P<sig>\w)\.(?P<n>\d{4})\."
)


@dataclass(frozen=True)
class Vtec:
    """One VTEC event code of a message: its action and the event it is about."""

    action: str  # NEW, CON, EXT, EXA, EXB, EXP, CAN, UPG, COR, ROU
    event_key: str  # office.phenomenon.significance.number, e.g. KMEG.TO.W.0042


def parse_vtec(codes: Iterable[str]) -> tuple[Vtec, ...]:
    """The VTEC codes of `parameters.VTEC`; anything not shaped like one is left out."""
    found = []
    for code in codes:
        match = VTEC.search(str(code))
        if match:
            key = f"{match['office']}.{match['ph']}.{match['sig']}.{match['n']}"
            found.append(Vtec(match["action"], key))
    return tuple(found)


@dataclass(frozen=True)
class MessageRef:
    """What the state machine needs of one message."""

    message_id: str
    message_type: str  # Alert, Update, Cancel
    sent: datetime
    ugc: tuple[str, ...]
    references: tuple[str, ...] = ()
    expired_references: tuple[str, ...] = ()
    vtec: tuple[Vtec, ...] = ()
    start: datetime | None = None  # effective, else sent
    finish: datetime | None = None  # ends, else expires
    replaced_at: datetime | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return self.ugc or (ALL_AREAS,)

    @property
    def is_ending(self) -> bool:
        """A Cancel, or a message whose every VTEC action ends its event: never a hazard."""
        if self.message_type == "Cancel":
            return True
        return bool(self.vtec) and all(v.action in ENDING_ACTIONS for v in self.vtec)

    def is_current(self, now: datetime) -> bool:
        """Whether `now` lies in the message's own time span and no replacement is known."""
        if self.replaced_at is not None and self.replaced_at <= now:
            return False
        if (self.start or self.sent) > now:
            return False
        return self.finish is None or self.finish > now


@dataclass(frozen=True)
class MessageState:
    over: bool  # superseded entirely, or itself a Cancel
    struck_ugc: tuple[str, ...] = field(default=())  # codes later messages have taken

    @property
    def in_force(self) -> bool:
        """In force for some code, once its time span allows (MessageRef.is_current)."""
        return not self.over


def message_states(messages: Iterable[MessageRef]) -> dict[str, MessageState]:
    """Apply every later message to the messages it continues, ends or names (module doc)."""
    messages = sorted(messages, key=lambda m: (m.sent, m.message_id))
    by_id = {m.message_id: m for m in messages}
    by_event: dict[str, list[MessageRef]] = defaultdict(list)
    for message in messages:
        for vtec in message.vtec:
            by_event[vtec.event_key].append(message)
    taken: dict[str, set[str]] = defaultdict(set)
    expired: set[str] = set()
    for later in messages:
        expired.update(later.expired_references)
        if later.message_type in ("Update", "Cancel"):
            for ref in later.references:
                if ref in by_id and ref != later.message_id:
                    taken[ref].update(later.codes)
        for vtec in later.vtec:
            for earlier in by_event[vtec.event_key]:
                if earlier.sent < later.sent:
                    taken[earlier.message_id].update(later.codes)
    return {m.message_id: _state(m, taken[m.message_id], expired) for m in messages}


def _state(message: MessageRef, taken: set[str], expired: set[str]) -> MessageState:
    struck = tuple(code for code in message.codes if code in taken or ALL_AREAS in taken)
    over = message.is_ending or message.message_id in expired or len(struck) == len(message.codes)
    return MessageState(over=over, struck_ugc=tuple(c for c in struck if c != ALL_AREAS))


def in_force_at(messages: Iterable[MessageRef], now: datetime) -> dict[str, tuple[str, ...]]:
    """The messages in force at `now`, each with the codes it is in force for."""
    messages = list(messages)
    states = message_states(messages)
    live = {}
    for message in messages:
        state = states[message.message_id]
        if state.in_force and message.is_current(now):
            live[message.message_id] = tuple(
                code for code in message.codes if code not in state.struck_ugc
            )
    return live


def is_current(finish: datetime | None, now: datetime) -> bool:
    """An alert without any end time stays until a message replaces or cancels it."""
    return finish is None or finish > now


def county_same(ugc: str) -> str | None:
    """SAME code of a county UGC: MSC081 -> 028081 (0 + state FIPS + county FIPS)."""
    if len(ugc) == 6 and ugc[2] == "C" and ugc[:2] in STATE_FIPS:
        return f"0{STATE_FIPS[ugc[:2]]}{ugc[3:]}"
    return None


def touches(ugc: Iterable[str], same: Iterable[str], covered_ugc: set[str]) -> bool:
    """Whether an alert's counties/zones meet the covered ones (by UGC, or SAME for counties)."""
    if covered_ugc & set(ugc):
        return True
    covered_same = {code for code in map(county_same, covered_ugc) if code}
    return bool(covered_same & set(same))


def ugc_left(ugc: Iterable[str], cancelled: Iterable[str]) -> list[str]:
    """The counties/zones of a message that no Cancel has struck, in the message's order."""
    struck = set(cancelled)
    return [code for code in ugc if code not in struck]


def same_left(same: Iterable[str], cancelled: Iterable[str]) -> list[str]:
    """The SAME codes of a message without those of its cancelled counties."""
    struck = {code for code in map(county_same, cancelled) if code}
    return [code for code in same if code not in struck]


def areas_left(area_desc: str, ugc: list[str], cancelled: Iterable[str]) -> str:
    """The area text of what is still in force: "Lee, MS; Pontotoc, MS" less a cancelled
    Lee is "Pontotoc, MS". NWS lists one area per UGC code, in the same order; when the counts
    differ the names cannot be matched, so the codes still in force are named instead."""
    struck = set(cancelled) & set(ugc)
    if not struck:
        return area_desc
    names = [name.strip() for name in area_desc.split(";")]
    if len(names) == len(ugc):
        return "; ".join(name for name, code in zip(names, ugc, strict=True) if code not in struck)
    return ", ".join(ugc_left(ugc, struck))


def is_banner_event(event: str, severity: str) -> bool:
    """Tornado, severe thunderstorm, flash flood, extreme wind ... warnings, not watches."""
    return event.endswith("Warning") and severity in BANNER_SEVERITIES
