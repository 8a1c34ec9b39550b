"""The station time-zone middleware: pages show times in the station's zone, a mistyped or
missing zone falls back to the server's TIME_ZONE, and the zone is read once a minute."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Site

from newscast.core.middleware import (
    STATION_TZ_CACHE_KEY,
    StationTimeMiddleware,
    station_time_zone_name,
)
from newscast.core.models import StationSettings

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _zone_during_request() -> str:
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse("ok")

    StationTimeMiddleware(view)(RequestFactory().get("/"))
    return seen["zone"]


def _station_zone(name: str) -> None:
    station = StationSettings.for_site(Site.objects.get(is_default_site=True))
    # update(): a mistyped zone cannot be saved through the form, only written behind it.
    StationSettings.objects.filter(pk=station.pk).update(time_zone=name)
    cache.delete(STATION_TZ_CACHE_KEY)


def test_a_request_runs_in_the_station_zone_and_the_zone_is_reset_after(settings):
    settings.TIME_ZONE = "UTC"
    _station_zone("America/Denver")
    assert _zone_during_request() == "America/Denver"
    assert timezone.get_current_timezone_name() == "UTC"  # nothing leaks to the next request


def test_a_mistyped_zone_falls_back_to_the_server_zone(settings):
    settings.TIME_ZONE = "America/Chicago"
    _station_zone("America/Tupelo")
    assert _zone_during_request() == "America/Chicago"


def test_without_a_site_the_server_zone_is_used(settings):
    settings.TIME_ZONE = "America/New_York"
    Site.objects.all().delete()
    cache.delete(STATION_TZ_CACHE_KEY)
    assert station_time_zone_name() == ""
    assert _zone_during_request() == "America/New_York"


def test_the_zone_is_read_from_the_cache_until_it_expires(django_assert_num_queries):
    _station_zone("America/Chicago")
    assert station_time_zone_name() == "America/Chicago"
    with django_assert_num_queries(0):
        assert station_time_zone_name() == "America/Chicago"


def test_with_the_database_away_the_request_goes_on_in_the_server_zone(settings, monkeypatch):
    """A PostgreSQL restart must not turn every request into an error in the middleware:
    the view (/healthz among them) still answers and says what is down."""
    from django.db import OperationalError

    from newscast.core import versions

    def database_away():
        raise OperationalError("the database system is starting up")

    settings.TIME_ZONE = "America/New_York"
    monkeypatch.setattr(versions, "versions_read", database_away)
    assert _zone_during_request() == "America/New_York"
