"""core 0005 moves the station settings, states, counties and content version into core
without moving a row: a database with data before the move reads the same data after it,
and the editors' permission on the station settings follows the model.

Runs on whichever database the suite uses (SQLite by default; DATABASE_URL=postgres://...).
"""

from datetime import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from newscast.closings.models import Organization
from newscast.core.models import ContentVersion, County, State, StationSettings

BEFORE = [
    ("core", "0004_roles_video_and_closings"),
    ("home", "0005_station_broadcaster_links_and_live"),
    ("datadesk", "0004_loadrun_queued_lost"),
    ("news", "0006_remove_storypage_lead_video_url"),
    ("closings", "0001_initial"),
    ("weather", "0003_map_stations_sample_radar"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _fill_before_the_move(apps):
    Site = apps.get_model("wagtailcore", "Site")
    site = Site.objects.get(is_default_site=True)
    # get_or_create: the suite's other tests may have left a station or places behind.
    station, _ = apps.get_model("home", "StationSettings").objects.update_or_create(
        site=site, defaults={"station_name": "WTVA Sample", "call_sign": "WTVA"}
    )
    apps.get_model("home", "CoveredState").objects.filter(station=station).delete()
    apps.get_model("home", "OnAirSlot").objects.filter(station=station).delete()
    apps.get_model("home", "WeatherCity").objects.filter(station=station).delete()
    apps.get_model("home", "CoveredState").objects.create(station=station, postal_code="MS")
    apps.get_model("home", "OnAirSlot").objects.create(
        station=station, weekday=0, starts_at=time(18), ends_at=time(18, 30), title="News at 6"
    )
    city = apps.get_model("home", "WeatherCity").objects.create(
        station=station, name="Tupelo", state="MS", latitude="34.2576", longitude="-88.7034"
    )
    apps.get_model("weather", "CityWeather").objects.create(city=city)
    state, _ = apps.get_model("datadesk", "State").objects.get_or_create(
        id=28, defaults={"postal_code": "MS", "name": "Mississippi"}
    )
    county, _ = apps.get_model("datadesk", "County").objects.get_or_create(
        id=28081, defaults={"state": state, "name": "Lee", "full_name": "Lee County"}
    )
    apps.get_model("closings", "Organization").objects.create(
        name="Sample County Schools", county=county, kind="public_schools"
    )
    apps.get_model("news", "ContentVersion").objects.update_or_create(pk=1, defaults={"number": 41})
    # A group holding the permission to change the station settings, as Editors do.
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="home", model="stationsettings"
    )
    permission, _ = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type,
        codename="change_stationsettings",
        defaults={"name": "Can change Station settings"},
    )
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Sample desk")
    group.permissions.add(permission)


@pytest.mark.django_db(transaction=True)
def test_rows_made_before_the_move_are_read_after_it():
    latest = _latest()
    _fill_before_the_move(_migrate(BEFORE))
    try:
        _migrate(latest)
        station = StationSettings.objects.get(station_name="WTVA Sample")
        assert station.covered_state_codes() == ["MS"]
        assert [slot.title for slot in station.on_air_slots.all()] == ["News at 6"]
        city = station.weather_cities.get()
        assert city.weather is not None  # the weather desk's row still points at it
        county = County.objects.get(pk=28081)
        assert county.state == State.objects.get(postal_code="MS")
        assert Organization.objects.get(county=county).name == "Sample County Schools"
        assert ContentVersion.objects.get(pk=1).number == 41
        # The permission moved with its model, and the group still holds it.
        moved = ContentType.objects.get(app_label="core", model="stationsettings")
        assert not ContentType.objects.filter(app_label="home", model="stationsettings").exists()
        permission = Permission.objects.get(content_type=moved, codename="change_stationsettings")
        assert Group.objects.get(name="Sample desk").permissions.filter(pk=permission.pk).exists()
    finally:
        _migrate(latest)
