"""The states (and DC) a station can cover, from the `us` package rather than a hand-kept table.

`us` lists the 50 states in STATES and DC apart (it joins STATES only when DC_STATEHOOD is
set in the environment), so DC is added once here and the territories are left out: the
Census county file the data desk loads has none of them.
"""

from __future__ import annotations

import us

_STATES = {state.abbr: state for state in [*us.states.STATES, us.states.DC]}

# (postal code, name) in the order of names, the choices every state field takes.
US_STATES: list[tuple[str, str]] = sorted(
    ((abbr, state.name) for abbr, state in _STATES.items()), key=lambda pair: pair[1]
)
STATE_CODES: frozenset[str] = frozenset(_STATES)
POSTAL_BY_NAME: dict[str, str] = {name: abbr for abbr, name in US_STATES}
# Postal code -> the state's 2-digit FIPS code: "MS" -> "28" (SAME and county codes start with it).
STATE_FIPS: dict[str, str] = {abbr: state.fips for abbr, state in _STATES.items()}
