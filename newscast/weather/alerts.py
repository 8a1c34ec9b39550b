"""The alerts stream as a state machine: which messages are still in force, and which
warnings touch the station's counties. Pure functions over plain values (FACTS 8.2).

Every NWS message has its own id. An Update supersedes every message it references; a Cancel
strikes its counties (UGC codes) off the messages it references, and a message with no county
left is over. A message that merely drops out of the feed stays until it ends (the feed
"flickers" with stale caches), so nothing is ended for being absent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

# Banner-worthy: warnings for life-threatening, fast events (weather.gov's top priorities).
BANNER_SEVERITIES = frozenset({"Extreme", "Severe"})

STATE_FIPS = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09",
    "DE": "10", "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17",
    "IN": "18", "IA": "19", "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24",
    "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31",
    "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38",
    "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46",
    "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53", "WV": "54",
    "WI": "55", "WY": "56",
}  # fmt: skip


@dataclass(frozen=True)
class MessageRef:
    message_id: str
    message_type: str
    references: tuple[str, ...]
    ugc: tuple[str, ...]


@dataclass(frozen=True)
class MessageState:
    superseded: bool
    cancelled_ugc: tuple[str, ...]
    in_force: bool


def message_states(messages: Iterable[MessageRef]) -> dict[str, MessageState]:
    """Apply every Update and Cancel to the messages they reference."""
    messages = list(messages)
    superseded: set[str] = set()
    cancelled: dict[str, set[str]] = defaultdict(set)
    for message in messages:
        if message.message_type == "Update":
            superseded.update(message.references)
        elif message.message_type == "Cancel":
            for ref in message.references:
                cancelled[ref].update(message.ugc)
    states = {}
    for message in messages:
        struck = cancelled.get(message.message_id, set())
        left = set(message.ugc) - struck if message.ugc else ({"*"} if not struck else set())
        is_superseded = message.message_id in superseded
        states[message.message_id] = MessageState(
            superseded=is_superseded,
            cancelled_ugc=tuple(sorted(struck & set(message.ugc))),
            in_force=message.message_type != "Cancel" and not is_superseded and bool(left),
        )
    return states


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
