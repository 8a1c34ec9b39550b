import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Site

from newscast.home.models import StationSettings


@pytest.mark.django_db
def test_demo_sets_up_the_station_once():
    call_command("demo", no_serve=True, stdout=io.StringIO())
    station = StationSettings.for_site(Site.objects.get(is_default_site=True))
    assert station.covered_state_codes() == ["MS", "AL"]
    assert [c.name for c in station.weather_cities.all()] == [
        "Tupelo",
        "Columbus",
        "Oxford",
        "Starkville",
    ]
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()
    # A second run leaves what is there alone.
    call_command("demo", no_serve=True, stdout=io.StringIO())
    assert station.weather_cities.count() == 4
