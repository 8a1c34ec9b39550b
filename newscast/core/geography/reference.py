"""The reference table of states and counties, and matching a source's place names to it."""

from __future__ import annotations

from functools import cache

from django.db import transaction

from newscast.core.geography.census import (
    UNASSIGNED_NAMES,
    normalise,
    reference_rows,
    short_name,
)
from newscast.core.models import UNASSIGNED_BASE, County, State
from newscast.core.states import POSTAL_BY_NAME, US_STATES


@transaction.atomic
def geography_ensure() -> bool:
    """Fill the State and County tables from the Census file if they are empty.

    Returns True when it filled them. Each state also gets its Unassigned bucket.
    """
    if County.objects.exists():
        return False
    rows = reference_rows()
    states = {}
    for row in rows:
        state_id = int(row["state_fips"])
        states.setdefault(
            state_id,
            State(id=state_id, postal_code=POSTAL_BY_NAME[row["state"]], name=row["state"]),
        )
    State.objects.bulk_create(states.values(), ignore_conflicts=True)
    counties = [
        County(
            id=int(row["fips"]),
            state_id=int(row["state_fips"]),
            name=short_name(row["county"]),
            full_name=row["county"],
            population=int(row["population"]),
        )
        for row in rows
    ]
    counties += [
        County(
            id=UNASSIGNED_BASE + state_id,
            state_id=state_id,
            name="Unassigned",
            full_name=f"Unassigned, {state.name}",
            is_unassigned=True,
        )
        for state_id, state in states.items()
    ]
    County.objects.bulk_create(counties, batch_size=1000)
    places.cache_clear()
    return True


class Places:
    """Matches a source row's state and county (by FIPS first, then by name) to a county id."""

    def __init__(
        self, counties: list[tuple[int, int, str, str, int | None]], states: list[tuple[int, str]]
    ):
        self.county_ids = {county_id for county_id, *_ in counties}
        self.state_by_county = {county_id: state_id for county_id, state_id, *_ in counties}
        self.population = {county_id: people for county_id, *_, people in counties if people}
        self.state_by_name: dict[str, int] = {}
        for state_id, name in states:
            self.state_by_name[normalise(name)] = state_id
        for code, name in US_STATES:
            if normalise(name) in self.state_by_name:
                self.state_by_name[normalise(code)] = self.state_by_name[normalise(name)]
        # Full Census names first, short names only where they are not already taken:
        # "Richmond city" and "Richmond County" (VA) must stay apart.
        self.by_name: dict[tuple[int, str], int] = {}
        for county_id, state_id, _name, full_name, _people in counties:
            self.by_name[(state_id, normalise(full_name))] = county_id
        for county_id, state_id, name, _full_name, _people in counties:
            self.by_name.setdefault((state_id, normalise(name)), county_id)

    def state_id(self, state_name: str) -> int | None:
        return self.state_by_name.get(normalise(state_name))

    def county_id(self, state_id: int, county_name: str, fips: str) -> int | None:
        """The county's id, the state's Unassigned bucket, or None when unknown."""
        code = fips_number(fips)
        if code is not None:
            if code in self.county_ids:
                # A FIPS code of another state's county contradicts the row: no guessing.
                return code if self.state_by_county[code] == state_id else None
            # JHU: 900SS is "Unassigned", 800SS "Out of SS"; both go to the bucket.
            if code in (UNASSIGNED_BASE + state_id, 80000 + state_id):
                return UNASSIGNED_BASE + state_id
        key = normalise(county_name)
        if UNASSIGNED_NAMES.match(county_name.strip().lower()):
            return UNASSIGNED_BASE + state_id
        return self.by_name.get((state_id, key))


def fips_number(text: str) -> int | None:
    """ "28081", "28081.0" (JHU sometimes writes floats) or "1073" -> int; blank -> None."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(float(text)) if "." in text else int(text)
    except ValueError:
        return None


@cache
def places() -> Places:
    """The matcher over the reference tables (cached; geography_ensure() clears it)."""
    counties = list(County.objects.values_list("id", "state_id", "name", "full_name", "population"))
    states = list(State.objects.values_list("id", "name"))
    return Places(counties, states)
