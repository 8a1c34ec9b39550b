"""What the edge receives when the weather on news pages changes (weather/edge.py): warnings
purge every page, conditions refresh only the most read, and nothing is sent when nothing
shown changed, with Redis down too, and once when two jobs renew at once.

The edge is a local HTTP server standing in for nginx's purge listener (`purges`,
conftest.py); the NWS is the same local server (a 304 for the alerts feed). Changes go through
the desk's services and the real templates, with the clock frozen."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from newscast.core.edge import hot_urls
from newscast.news.tests.conftest import home, make_story, section  # noqa: F401 - fixtures
from newscast.weather.edge import Renewed, renew_if_shown_changed
from newscast.weather.models import CityWeather, StationReport
from newscast.weather.nws.urls import active_alerts_path
from newscast.weather.selectors import banner_alerts_uncached
from newscast.weather.services.alerts import alerts_refresh
from newscast.weather.services.common import pages_changed
from newscast.weather.services.drill import alert_drill

from .test_pages import SAMPLE_NOW, sample_weather  # noqa: F401 - the fixture, used by name

# Real commits: purges are queued by the commit and run by the worker, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

LATER = SAMPLE_NOW + timedelta(minutes=10)  # the next conditions refresh


@pytest.fixture
def edge(sample_weather, make_story, worker_queue, purges):  # noqa: F811
    """A story and the sample weather at the edge, what pages show already known: `purges`
    then holds only what the test's own change sends."""
    story = make_story("Tupelo council approves new splash pad")
    with time_machine.travel(LATER, tick=False):
        renew_if_shown_changed()
        worker_queue()
    purges.clear()
    purges.story = story
    return purges


def _tupelo_report():
    report = CityWeather.objects.get(city__name="Tupelo").report_id
    return StationReport.objects.filter(pk=report)


def _paths(purges) -> set[str]:
    return {path for path, _ in purges}


def _hot_paths() -> set[str]:
    return {url.removeprefix("http://localhost") for url in hot_urls()}


@time_machine.travel(LATER, tick=False)
def test_a_conditions_change_refreshes_the_hot_pages_and_keeps_the_stories(edge, worker_queue):
    _tupelo_report().update(temperature_f=F("temperature_f") + 3)
    pages_changed()  # as every refresh ends
    assert worker_queue() == 1  # the hot pages' refresh, its URLs worked out in the worker
    assert _paths(edge) == _hot_paths()
    assert {"/", "/local/", "/feeds/rss/", "/feeds/local/atom/"} <= _paths(edge)
    assert edge.story.url not in _paths(edge)  # its copy states "As of" and expires
    assert set().union(*edge.methods.values()) == {"BAKE"}  # refreshed in place, never purged
    assert {encoding for _, encoding in edge} == {"", "gzip"}


@time_machine.travel(LATER, tick=False)
def test_nothing_shown_changed_sends_nothing(edge, worker_queue):
    # A refresh whose data moved in ways no page shows (a tenth of a degree, rounded away).
    _tupelo_report().update(temperature_f=F("temperature_f") + 0.1)
    pages_changed()
    assert renew_if_shown_changed() is Renewed.NOTHING
    assert worker_queue() == 0
    assert edge == []


@pytest.mark.parametrize("steps", [["alert"], ["alert", "update"], ["alert", "cancel"]])
def test_a_warning_issued_updated_or_cancelled_purges_every_page(edge, worker_queue, steps):
    with time_machine.travel(LATER, tick=False):
        *earlier, step = steps
        for played in earlier:
            alert_drill(played)
        worker_queue()
        edge.clear()
        alert_drill(step)
        worker_queue()
    assert edge.story.url in _paths(edge)
    assert edge.methods[edge.story.url] == {"PURGE"}
    for path in _hot_paths():
        assert edge.methods[path] == {"BAKE"}, path  # the most read refreshed in place
    assert (edge.story.url, "gzip") in edge


def test_a_warning_that_ends_by_its_clock_purges_every_page_at_the_next_poll(
    edge, worker_queue, nws, station
):
    with time_machine.travel(LATER, tick=False):
        alert_drill("alert")
        _poll_not_modified(nws, station)
        worker_queue()
        ends = min(alert["finish"] for alert in banner_alerts_uncached(LATER))  # the first
    edge.clear()
    with time_machine.travel(ends - timedelta(minutes=1), tick=False):
        _poll_not_modified(nws, station)  # every warning still in force
        worker_queue()
    assert edge.story.url not in _paths(edge)  # (conditions may have aged: hot pages only)
    with time_machine.travel(ends + timedelta(seconds=30), tick=False):
        _poll_not_modified(nws, station)  # no Cancel came, but the warning ended
        worker_queue()
    assert edge.methods[edge.story.url] == {"PURGE"}


def test_polls_that_change_nothing_send_nothing_even_when_the_cache_is_lost(
    edge, worker_queue, nws, station
):
    with time_machine.travel(LATER, tick=False):
        _poll_not_modified(nws, station)
    cache.clear()  # Redis restarted: what pages showed is no longer known
    with time_machine.travel(LATER + timedelta(minutes=1), tick=False):
        _poll_not_modified(nws, station)
    assert worker_queue() == 0
    assert edge == []


def _poll_not_modified(nws, station) -> None:
    """One alerts poll answered 304 (the feed has not changed since the last one)."""
    path, query = active_alerts_path(station.covered_state_codes()).split("?")
    nws.expect_oneshot_request(path, query_string=query).respond_with_data("", status=304)
    assert "not modified" in alerts_refresh()


@time_machine.travel(LATER, tick=False)
def test_with_redis_down_refreshes_that_change_nothing_send_nothing(edge, worker_queue, redis_down):
    # Redis went down after the pages were renewed: every cache read misses from now on.
    for _ in range(2):  # two refreshes during the outage
        pages_changed()
        assert worker_queue() == 0
    assert renew_if_shown_changed() is Renewed.NOTHING
    assert edge == []


@time_machine.travel(LATER, tick=False)
def test_with_redis_down_a_conditions_change_still_refreshes_only_the_hot_pages(
    edge, worker_queue, redis_down
):
    _tupelo_report().update(temperature_f=F("temperature_f") + 3)
    pages_changed()
    assert worker_queue() == 1
    assert _paths(edge) == _hot_paths()
    assert set().union(*edge.methods.values()) == {"BAKE"}


@time_machine.travel(LATER, tick=False)
def test_with_redis_down_a_warning_still_purges_every_page(edge, worker_queue, redis_down):
    alert_drill("alert")
    worker_queue()
    assert edge.methods[edge.story.url] == {"PURGE"}
    assert all(edge.methods[path] == {"BAKE"} for path in _hot_paths())
    edge.clear()
    pages_changed()  # the next refresh, the warning still in force: nothing more
    assert worker_queue() == 0
    assert edge == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's test database is in shared memory, where a second writer fails at once "
    "instead of waiting; SQLite's single writer runs the two UPDATEs one after the other",
)
@time_machine.travel(LATER, tick=False)
def test_two_renewals_at_once_renew_once(edge, worker_queue):
    _tupelo_report().update(temperature_f=F("temperature_f") + 3)
    second = []

    def renew_meanwhile():
        try:
            second.append(renew_if_shown_changed())
        finally:
            connection.close()  # this thread's own connection

    other = threading.Thread(target=renew_meanwhile)
    with transaction.atomic():
        first = renew_if_shown_changed()  # not committed yet: the other job sees the old digest
        other.start()
        _wait_until_another_session_waits_on_this_one()
    other.join(timeout=60)
    assert (first, second) == (Renewed.HOT_PAGES, [Renewed.NOTHING])
    assert worker_queue() == 1
    assert _paths(edge) == _hot_paths()


def _wait_until_another_session_waits_on_this_one(seconds: float = 30) -> None:
    """Until a PostgreSQL session waits for a lock this session holds (pg_locks is live)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted"
                " AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError(f"no other session waited on this one within {seconds} s")
