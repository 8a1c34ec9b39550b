"""The states a station can cover come from the `us` package: the 50 states and DC, by postal
code, and nothing else (the Census county file has no territories)."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from newscast.core.models import StationSettings
from newscast.core.services import station_set
from newscast.weather.alerts import county_same

pytestmark = pytest.mark.django_db


@pytest.fixture
def station():
    return StationSettings.for_site(Site.objects.get(is_default_site=True))


def test_a_station_may_cover_dc_and_any_state_in_any_case(station):
    station_set(station, "covered_states", "ms, dc,Wy")
    assert station.covered_state_codes() == ["MS", "DC", "WY"]


@pytest.mark.parametrize("codes", ["MS,PR", "GU", "XX"])
def test_territories_and_unknown_codes_are_refused(station, codes):
    with pytest.raises(ValidationError, match="Not a state postal code"):
        station_set(station, "covered_states", codes)


@pytest.mark.parametrize(
    ("ugc", "same"), [("MSC081", "028081"), ("DCC001", "011001"), ("PRC001", None)]
)
def test_a_county_alert_code_becomes_its_same_code(ugc, same):
    assert county_same(ugc) == same
