"""The temperatures map: every station the NWS lists for the covered states (followed page
by page), their latest reports, and labels that neither overlap nor run off the map."""

import json
import logging

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from newscast.weather.maps import temperature_map
from newscast.weather.models import MapStation, StationReport
from newscast.weather.services.refresh import weather_refresh
from newscast.weather.services.stations import StationListError, map_stations_refresh

from .conftest import GEOJSON, PROBLEM, RECORDED, SCENARIO_NOW, recorded_text

pytestmark = pytest.mark.django_db

CASE = RECORDED / "map_stations_MS_AL"
FIRST_PAGE = "/stations"
FIRST_QUERY = "state=MS&state=AL&limit=500"


def _serve_list(server, *, second_page=None) -> None:
    respond = {"content_type": GEOJSON}
    server.expect_request(FIRST_PAGE, query_string=FIRST_QUERY).respond_with_data(
        (CASE / "stations_page1.json").read_text(), **respond
    )
    page2 = {"query_string": f"{FIRST_QUERY}&cursor=eyJzIjo1MDB9"}
    if second_page is None:
        server.expect_request(FIRST_PAGE, **page2).respond_with_data(
            (CASE / "stations_page2.json").read_text(), **respond
        )
    else:
        server.expect_request(FIRST_PAGE, **page2).respond_with_data(**second_page)
    server.expect_request(
        FIRST_PAGE, query_string=f"{FIRST_QUERY}&cursor=eyJzIjoxMDAwfQ=="
    ).respond_with_data((CASE / "stations_page3_empty.json").read_text(), **respond)


def _only_covered_cities(station):
    # The map's own stations only: no city refresh in these tests.
    station.weather_cities.all().delete()


def test_the_list_follows_every_page_and_skips_malformed_stations(station, nws, caplog):
    _serve_list(nws)
    with caplog.at_level(logging.WARNING, logger="newscast.weather"):
        summary = map_stations_refresh(now=SCENARIO_NOW)
    listed = set(MapStation.objects.values_list("station_id", flat=True))
    page1 = json.loads((CASE / "stations_page1.json").read_text())["features"]
    page2 = json.loads((CASE / "stations_page2.json").read_text())["features"]
    assert len(listed) == 36  # 20 good + 16 on page 2; page 3 is empty
    assert {"KTUP", "KJAN", "KBHM", "KMOB", "LMSM6", "D3512"} <= listed
    assert "NOPT1" not in listed and "KXXF" not in listed  # no point; point in Alaska
    assert len(page1) + len(page2) - 3 == len(listed)
    assert "3 skipped as malformed" in summary and "3 pages" in summary
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert any("NOPT1: no usable point" in m for m in skipped)
    assert any("no 'stationIdentifier'" in m for m in skipped)
    assert any("KXXF" in m and "outside the lower 48" in m for m in skipped)
    tupelo = MapStation.objects.get(station_id="KTUP")
    assert (tupelo.state, tupelo.name) == ("MS", "Tupelo Regional Airport")
    assert MapStation.objects.get(station_id="KBHM").state == "AL"


def test_a_failed_page_keeps_the_last_good_list_whole(station, nws):
    _serve_list(nws)
    map_stations_refresh(now=SCENARIO_NOW)
    before = set(MapStation.objects.values_list("station_id", flat=True))
    nws.clear()
    _serve_list(nws, second_page={"response_data": '{"features": [', "content_type": GEOJSON})
    with pytest.raises(StationListError, match="not JSON"):
        map_stations_refresh(now=SCENARIO_NOW)
    assert set(MapStation.objects.values_list("station_id", flat=True)) == before


def test_a_station_no_longer_listed_leaves_the_map(station, nws):
    MapStation.objects.create(
        station_id="KOLD", name="Retired", latitude=33.0, longitude=-89.0, listed_at=SCENARIO_NOW
    )
    _serve_list(nws)
    summary = map_stations_refresh(now=SCENARIO_NOW)
    assert not MapStation.objects.filter(station_id="KOLD").exists()
    assert "1 no longer listed removed" in summary


def test_the_command_reads_the_list_and_says_so(station, nws, capsys):
    _only_covered_cities(station)
    _serve_list(nws)
    reports = json.loads((CASE / "observations_latest.json").read_text())["features"]
    for feature in reports:
        nws.expect_request(
            f"/stations/{feature['properties']['stationId']}/observations/latest"
        ).respond_with_json(feature, content_type=GEOJSON)
    nws.expect_request("/alerts/active").respond_with_data(
        recorded_text("alerts_active_empty.json"), content_type=GEOJSON
    )
    nws.expect_request("/ridge/standard/KGWX_loop.gif").respond_with_data(
        b"GIF89a", content_type="image/gif"
    )
    nws.expect_request(path_pattern_any()).respond_with_data(
        recorded_text("errors/404_not_found.json"), status=404, content_type=PROBLEM
    )
    with time_machine.travel(SCENARIO_NOW, tick=False):
        call_command("weather_refresh", "--stations")
    out = capsys.readouterr().out
    assert "Station list for MS, AL: 36 stations kept" in out
    # 10 reports served: KCBM's temperature reads "73F" (skipped), KGWO is 6 hours old
    # (stored but not mapped); the other 26 listed stations answer 404 (skipped, not errors).
    assert "9 station reports" in out
    assert "27 listed map stations had no usable report" in out
    assert "listed map stations had no usable report" in out
    assert "Weather refreshed." in out
    assert not StationReport.objects.filter(station_id="KCBM").exists()


def path_pattern_any():
    import re

    return re.compile(r"/stations/[A-Z0-9]+/observations/latest")


def test_every_listed_station_is_asked_with_a_bounded_refresh(station, nws, caplog):
    _only_covered_cities(station)
    _serve_list(nws)
    map_stations_refresh(now=SCENARIO_NOW)
    reports = json.loads((CASE / "observations_latest.json").read_text())["features"]
    for feature in reports:
        nws.expect_request(
            f"/stations/{feature['properties']['stationId']}/observations/latest"
        ).respond_with_json(feature, content_type=GEOJSON)
    nws.expect_request(path_pattern_any()).respond_with_data(
        recorded_text("errors/404_not_found.json"), status=404, content_type=PROBLEM
    )
    with caplog.at_level(logging.INFO, logger="newscast.weather"):
        report = weather_refresh(now=SCENARIO_NOW)
    skipped = [r.getMessage() for r in caplog.records if "map station skipped" in r.getMessage()]
    assert len(skipped) == 27
    assert any("KCBM" in m and "'73F' is not a number" in m for m in skipped), skipped
    assert not [
        r for r in caplog.records if r.levelno >= logging.WARNING and "KMOB" in r.getMessage()
    ]
    asked = [r.path for r, _ in nws.log if r.path.endswith("/observations/latest")]
    assert len(asked) == len(set(asked)) == 36  # each listed station once
    assert report.errors == []  # quiet stations are skipped, not problems
    assert report.map_stations_skipped == 36 - 9  # 26 answer 404, KCBM's "73F"
    assert report.reports_stored == 9


def test_labels_neither_overlap_nor_leave_the_map(station, nws):
    _serve_list(nws)
    map_stations_refresh(now=SCENARIO_NOW)
    reports = [
        StationReport(
            station_id=s.station_id, name=s.name, latitude=s.latitude, longitude=s.longitude,
            temperature_f=70 + i % 15, observed_at=SCENARIO_NOW, fetched_at=SCENARIO_NOW,
        )
        for i, s in enumerate(MapStation.objects.all())
    ]  # fmt: skip
    cities = ["KTUP", "KCBM", "KUOX", "KSTF"]  # the demo cities' own stations, in order
    result = temperature_map(["MS", "AL"], reports, first=cities)
    assert len(result.points) == 36
    left, top, width, height = map(float, result.view_box.split())
    boxes = []
    for point in result.points:
        assert left <= point.x <= left + width and top <= point.y <= top + height
        if point.shown:
            boxes.append(_label_box(point))
    assert len(boxes) >= 32  # most carry their figure (34 today); the rest are in the table
    for box in boxes:
        assert left <= box[0] and box[2] <= left + width, box
        assert top <= box[1] and box[3] <= top + height, box
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    named = {p.station_id for p in result.points if p.name}
    assert {"KTUP", "KSTF"} <= named  # the cities' own stations are named first


def _label_box(point):
    # The browser test measures the drawn text; this checks the placement's own arithmetic.
    from newscast.weather.maps import CHAR_WIDTH, _box

    width = CHAR_WIDTH * max(len(f"{point.temperature}°"), len(point.name))
    return _box(point.anchor, point.text_x, point.text_y, width, 2 if point.name else 1)


def test_the_page_shows_every_current_listed_station(station, nws, client):
    _only_covered_cities(station)
    _serve_list(nws)
    map_stations_refresh(now=SCENARIO_NOW)
    reports = json.loads((CASE / "observations_latest.json").read_text())["features"]
    for feature in reports:
        nws.expect_request(
            f"/stations/{feature['properties']['stationId']}/observations/latest"
        ).respond_with_json(feature, content_type=GEOJSON)
    nws.expect_request(path_pattern_any()).respond_with_data(
        recorded_text("errors/404_not_found.json"), status=404, content_type=PROBLEM
    )
    weather_refresh(now=SCENARIO_NOW)
    with time_machine.travel(SCENARIO_NOW, tick=False):
        html = client.get(reverse("weather:temperatures")).content.decode()
    assert html.count("<circle") == 8  # 9 stored; KGWO's is 6 hours old: listed, not mapped
    assert "Greenwood-Leflore Airport (last" in html


def test_the_hourly_job_reads_the_list_only_when_it_is_a_day_old(station, nws):
    from datetime import timedelta

    from newscast.weather.tasks import weather_stations_job

    _serve_list(nws)
    with time_machine.travel(SCENARIO_NOW, tick=False):
        weather_stations_job.call_local()
        assert MapStation.objects.count() == 36
        weather_stations_job.call_local()  # an hour later in real life: nothing to do
    asked = [r for r, _ in nws.log if r.path == FIRST_PAGE]
    assert len(asked) == 3  # the three pages, once
    with time_machine.travel(SCENARIO_NOW + timedelta(hours=24), tick=False):
        weather_stations_job.call_local()
    assert len([r for r, _ in nws.log if r.path == FIRST_PAGE]) == 6
