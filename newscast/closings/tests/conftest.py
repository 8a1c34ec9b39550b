"""Fixtures of the closings desk's tests: the reference geography and a few organizations."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

RECORDED = Path(__file__).parent / "recorded"
CENTRAL = ZoneInfo("America/Chicago")
# A winter evening in station time (Tuesday 13 January 2026, 7:30 PM CST = 01:30 UTC next day):
# "today" is the 13th in Tupelo but already the 14th in UTC.
STORM_EVENING = datetime(2026, 1, 13, 19, 30, tzinfo=CENTRAL)
LEE, PONTOTOC, UNION = 28081, 28115, 28145


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the reference geography in it (counties for organizations)."""
    from newscast.core.geography.reference import geography_ensure

    with django_db_blocker.unblock():
        geography_ensure()


@pytest.fixture
def storm_clock():
    """The clock stopped on the storm evening (station time), ticking."""
    import time_machine

    with time_machine.travel(STORM_EVENING, tick=True) as traveller:
        yield traveller


@pytest.fixture
def organizations(station):
    """Four organizations in Lee, Pontotoc and Union counties, PIN 1234 (Cedar held)."""
    from newscast.closings.models import Organization
    from newscast.closings.services import pin_set

    made = {}
    for code, name, county, kind, held in [
        ("LEE-1", "Zion Hill Academy", LEE, "private_school", False),
        ("LEE-2", "Acorn Valley Schools", LEE, "public_schools", False),
        ("PON-1", "Twin Oaks Schools", PONTOTOC, "public_schools", False),
        ("UNI-1", "Cedar Works", UNION, "business", True),
    ]:
        organization = Organization(
            code=code, name=name, county_id=county, kind=kind, needs_approval=held
        )
        pin_set(organization, "1234")
        organization.save()
        made[code] = organization
    return made


@pytest.fixture
def home(station):
    """The default site's root is a HomePage, as the demo sets it up (to test the home page)."""
    from wagtail.models import Site

    from newscast.home.demo_newsroom import home_page_ensure

    return home_page_ensure(Site.objects.get(is_default_site=True))
