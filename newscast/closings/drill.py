"""The storm evening the drill plays: what the phones and the form bring in, step by step.

Times are minutes after the drill starts; every status is for tomorrow (station date) and
only sample organizations are touched. The script includes the real night's mess: a delay
upgraded to a closing, the same report sent twice, a note with markup, a report held for
approval, and an editor taking an organization off the board.
"""

from __future__ import annotations

from dataclasses import dataclass

from newscast.closings.models import StatusKind, Via

S = StatusKind


@dataclass(frozen=True)
class DrillStep:
    minute: int
    code: str
    kind: str  # a StatusKind value, or "remove"
    delay_minutes: int | None = None
    note: str = ""
    via: str = Via.DRILL


STORM_EVENING = [
    DrillStep(0, "LEE-001", S.DELAYED, 120, "Ice on rural routes; buses run two hours late."),
    DrillStep(2, "PON-001", S.DELAYED, 120),
    DrillStep(4, "LEE-004", S.DELAYED, 180, "Offices open at 11 a.m."),
    DrillStep(6, "UNI-001", S.CLOSED),
    DrillStep(8, "ITA-001", S.DELAYED, 120),
    DrillStep(10, "LEE-002", S.REMOTE, note="Classes online; check the school portal."),
    DrillStep(12, "LEE-005", S.CLOSED, note="Wednesday <b>supper</b> cancelled."),
    DrillStep(
        14, "LEE-001", S.CLOSED, note="Upgraded from a delay: closed for students and staff."
    ),
    DrillStep(
        15, "LEE-001", S.CLOSED, note="Upgraded from a delay: closed for students and staff."
    ),
    DrillStep(16, "PRE-001", S.CLOSED),
    DrillStep(18, "MON-001", S.DELAYED, 90),
    DrillStep(
        20, "LOW-001", S.EARLY_DISMISSAL, note="Dismissal at 11:30 a.m. ahead of freezing rain."
    ),
    DrillStep(22, "LOW-003", S.CLOSED),
    DrillStep(24, "LEE-007", S.CLOSED, note="First shift cancelled.", via=Via.SELF_SERVICE),
    DrillStep(26, "OKT-001", S.DELAYED, 120),
    DrillStep(28, "LAF-001", S.OPEN, note="Normal schedule: roads in Oxford are clear."),
    DrillStep(30, "PON-001", S.CLOSED, note="Upgraded from a delay."),
    DrillStep(32, "CHI-001", S.CLOSED),
    DrillStep(34, "ITA-002", S.REMOTE),
    DrillStep(36, "LEE-006", "remove"),
    DrillStep(38, "LEE-003", S.CLOSED, note="All campuses closed; online classes as scheduled."),
    DrillStep(40, "MON-003", S.DELAYED, 240),
]
