"""Reference geography: counties, buckets, name matching and the county outlines."""

from newscast.core.geography.reference import places
from newscast.core.geography.shapes import SHAPES_JSON, state_outline
from newscast.core.models import County, State


def test_reference_has_every_county_and_a_bucket_per_state(geography):
    assert State.objects.count() == 51
    assert County.objects.filter(is_unassigned=False).count() == 3142
    assert County.objects.filter(state__postal_code="MS", is_unassigned=False).count() == 82
    hinds = County.objects.get(pk=28049)
    assert (hinds.name, hinds.full_name, hinds.population) == ("Hinds", "Hinds County", 231840)
    assert County.objects.get(pk=90001).name == "Unassigned"


def test_names_match_with_their_quirks(geography):
    matcher = places()
    ms, va, nm = (matcher.state_id(name) for name in ("Mississippi", "Virginia", "NM"))
    assert matcher.county_id(ms, "De Soto", "") == 28033
    assert matcher.county_id(va, "Richmond city", "") == 51760
    assert matcher.county_id(va, "Richmond", "") == 51159  # the county, not the city
    assert matcher.county_id(nm, "Dona Ana", "") == 35013
    assert matcher.county_id(ms, "Out of MS", "80028") == 90028
    assert matcher.county_id(ms, "Lee", "01081") is None  # Lee County, AL: wrong state


def test_outlines_are_compact_and_cover_the_covered_states():
    assert SHAPES_JSON.stat().st_size < 1024 * 1024
    mississippi = state_outline("28")
    assert len(mississippi.counties) == 82
    assert all(
        path.startswith("M") and path.endswith("Z") for path in mississippi.counties.values()
    )
    assert len(state_outline("01").counties) == 67
