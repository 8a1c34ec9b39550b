"""Loads in real processes: two `newscast data load` at once, and a wire import beside a long
SQLite load. The children run the real command against the test database: on PostgreSQL the
test database itself, on SQLite a copy of the in-memory test database in a file (children
cannot share memory), copied back afterwards so the assertions read what they wrote."""

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from werkzeug import Response

from newscast.core.geography.census import REFERENCE_CSV, short_name
from newscast.core.models import State
from newscast.datadesk import selectors
from newscast.datadesk.models import CountyDay, Dataset, LoadRun
from newscast.datadesk.services import dataset_load
from newscast.datadesk.tests.conftest import recorded

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
CHILD_TIMEOUT = 300  # seconds; a loaded CI machine is slow, a hung child still ends the test
SOURCE_DELAY = 4  # seconds the replay server holds the file: the first load is still running


@contextmanager
def child_database(folder: Path):
    """The environment for child processes pointed at the test database; on SQLite the
    database is copied to a file first and back into the test's database at the end."""
    connection.ensure_connection()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "NEWSCAST_DATA_DIR": str(folder),
        "PYTHONPATH": str(ROOT),
    }
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        yield env, None
        return
    file = folder / "children.sqlite3"
    with sqlite3.connect(file) as copy:
        connection.connection.backup(copy)
        # In WAL already, as the product's first connection (migrate) leaves every database
        # file. Two children starting at once on a rollback-journal file both try to switch
        # it, and SQLite refuses one at once ("database is locked"; no busy wait can help a
        # read lock that must become a write lock while the other waits to write).
        copy.execute("PRAGMA journal_mode=WAL")
    env["DATABASE_URL"] = f"sqlite:///{file}"
    yield env, file
    with sqlite3.connect(file) as copy:
        copy.backup(connection.connection)


# Every child a test starts; those still running when it ends are killed before the
# database is cleaned. A child left holding a transaction (a load waiting on a pipe nobody
# reads after a failed assertion) would otherwise keep PostgreSQL's TRUNCATE waiting for ever.
STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def children_stopped():
    yield
    while STARTED:
        child = STARTED.pop()
        if child.poll() is None:
            child.kill()
        child.communicate()  # reaped, its pipes closed


def child(argv: list[str], env) -> subprocess.Popen:
    process = subprocess.Popen(
        argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    STARTED.append(process)
    return process


def newscast(env, *args) -> subprocess.Popen:
    return child([sys.executable, "-m", "newscast.cli", *args], env)


def finished(process: subprocess.Popen) -> tuple[int, str, str]:
    """Exit status, output and errors; the pipes are read while waiting, so a child never
    blocks on a full one."""
    out, err = process.communicate(timeout=CHILD_TIMEOUT)
    return process.returncode, out, err


def until_exit(process: subprocess.Popen, keep_going=lambda: None) -> None:
    """Call keep_going() every 50 ms until the process exits, for CHILD_TIMEOUT at most."""
    deadline = time.monotonic() + CHILD_TIMEOUT
    while process.poll() is None:
        assert time.monotonic() < deadline, f"{process.args} still running after {CHILD_TIMEOUT}s"
        keep_going()
        time.sleep(0.05)


def test_two_load_processes_at_once_one_loads_the_other_is_refused_plainly(
    geography, httpserver, tmp_path
):
    dataset = Dataset.objects.create(name="Coronavirus Cases", slug="coronavirus")
    body = Path(recorded("nyt_us_counties.csv")).read_bytes()

    def slow_source(request):
        time.sleep(SOURCE_DELAY)  # a slow download: the first load holds its claim meanwhile
        return Response(body, content_type="text/csv")

    httpserver.expect_request("/us-counties.csv").respond_with_handler(slow_source)
    url = httpserver.url_for("/us-counties.csv")
    with child_database(tmp_path) as (env, _):
        loads = [newscast(env, "data", "load", "--format", "nyt", url) for _ in range(2)]
        results = [finished(load) for load in loads]
    assert sorted(code for code, _, _ in results) == [0, 1], results
    _, out, err = next(result for result in results if result[0] == 1)
    assert "Traceback" not in out + err
    assert "Load refused: Another load of Coronavirus Cases has been running since" in err
    assert "nothing was changed" in err and "IntegrityError" not in out + err
    outcomes = sorted(LoadRun.objects.filter(dataset=dataset).values_list("outcome", flat=True))
    assert outcomes == [LoadRun.Outcome.REFUSED, LoadRun.Outcome.SUCCESS]
    # The stored rows are the file's, each once: loading it again here changes nothing.
    again = dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")
    assert (again.rows_added, again.rows_changed, again.rows_unchanged) == (0, 0, 24)
    assert CountyDay.objects.filter(dataset=dataset).count() == 24


def history_file(path: Path, days: int, first: date = date(2020, 3, 1)) -> int:
    """`days` days of every county in the NYT shape from `first`; returns the row count."""
    with REFERENCE_CSV.open(encoding="utf-8") as handle:
        counties = [
            (r["state"], short_name(r["county"]), r["fips"]) for r in csv.DictReader(handle)
        ]
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("date,county,state,fips,cases,deaths\n")
        for day in range(days):
            when = (first + timedelta(days=day)).isoformat()
            for number, (state, county, fips) in enumerate(counties):
                cases = (number % 97 + 1) * (day + 1)
                out.write(f"{when},{county},{state},{fips},{cases},{cases // 50}\n")
                rows += 1
    return rows


FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test wire (sample)</title>
<link>https://wire.example.net/</link><description>Written for Newscast's tests.</description>
<item><title>Council meets on road repairs, part {n}</title>
<link>https://wire.example.net/2026/11/29/council-{n}</link><guid>council-{n}</guid>
<pubDate>Sun, 29 Nov 2026 03:00:00 GMT</pubDate><description>Sample item.</description></item>
</channel></rss>
"""


def wire_section():
    from wagtail.models import Site

    from newscast.home.demo_newsroom import home_page_ensure
    from newscast.news.models import SectionPage
    from newscast.wire.models import WireFeed

    home = home_page_ensure(Site.objects.get(is_default_site=True))
    section = SectionPage(title="Nation & World", slug="nation-world")
    home.add_child(instance=section)
    section.save_revision().publish()
    WireFeed.objects.create(name="Test wire", url="https://wire.example.net/rss", section=section)


def countydays_in(file: Path) -> int:
    with sqlite3.connect(f"file:{file}?mode=ro", uri=True, timeout=30) as db:
        return db.execute(f"SELECT count(*) FROM {CountyDay._meta.db_table}").fetchone()[0]


# A wire desk process that files one new item after another until told to stop, printing
# the time each import finished: started once, so its imports are not spaced by start-up.
WIRE_LOOP = """
import io, pathlib, sys, time
import django
django.setup()
from django.core.management import call_command
folder, stop = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
template = (folder / "feed-template.xml").read_text(encoding="utf-8")
number = 0
while not stop.exists():
    number += 1
    feed = folder / f"feed-{number}.xml"
    feed.write_text(template.replace("{n}", str(number)), encoding="utf-8")
    call_command("wire_import", str(feed), "--feed", "Test wire", stdout=io.StringIO())
    print(time.time(), flush=True)
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer")
def test_a_wire_import_during_a_long_sqlite_load_is_never_locked_out(geography, tmp_path):
    from newscast.wire.models import WireItem

    Dataset.objects.create(name="Coronavirus Cases", slug="coronavirus")
    wire_section()
    source = tmp_path / "us-counties.csv"
    rows = history_file(source, days=120)  # about 377,000 rows: four write steps
    (tmp_path / "feed-template.xml").write_text(FEED, encoding="utf-8")
    stop = tmp_path / "stop"
    with child_database(tmp_path) as (env, file):
        wire = child([sys.executable, "-c", WIRE_LOOP, str(tmp_path), str(stop)], env)
        first = wire.stdout.readline()  # the wire desk is up and has filed an item
        assert first, wire.communicate()[1]
        load = newscast(env, "data", "load", "--format", "nyt", str(source))
        writing_since = None

        def note_when_writing_starts():
            nonlocal writing_since
            if writing_since is None and countydays_in(file) > 0:
                writing_since = time.time()

        until_exit(load, note_when_writing_starts)
        load_ended = time.time()
        stop.touch()
        out, err = wire.communicate(timeout=CHILD_TIMEOUT)
        load_out, load_err = load.communicate()
    assert load.returncode == 0, load_err
    assert wire.returncode == 0 and "locked" not in err, err
    finished = [float(line) for line in [first, *out.splitlines()]]
    assert writing_since is not None
    during = [when for when in finished if writing_since <= when <= load_ended]
    assert during, "no import finished while the load was writing: make the file longer"
    assert WireItem.objects.count() == len(finished)
    assert CountyDay.objects.count() == rows


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL writes in one transaction")
def test_a_load_killed_part_way_is_invisible_until_a_load_completes(geography, tmp_path, client):
    dataset = Dataset.objects.create(name="Coronavirus Cases", slug="coronavirus")
    dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")  # 10-12 April 2020
    source = tmp_path / "us-counties.csv"
    rows = history_file(source, days=120, first=date(2020, 4, 13))
    with child_database(tmp_path) as (env, file):
        load = newscast(env, "data", "load", "--format", "nyt", str(source))
        deadline = time.monotonic() + CHILD_TIMEOUT
        while load.poll() is None and countydays_in(file) <= 24:
            assert time.monotonic() < deadline, "the load wrote nothing in time"
            time.sleep(0.05)
        load.send_signal(signal.SIGKILL)  # mid-way: some steps written, not all
        load.wait(CHILD_TIMEOUT)
    assert load.returncode == -signal.SIGKILL
    written = CountyDay.objects.filter(dataset=dataset, date__gt=date(2020, 4, 12)).count()
    assert 0 < written < rows  # part of the killed load is stored ...
    mississippi = State.objects.get(postal_code="MS")
    dataset = Dataset.objects.get(pk=dataset.pk)
    # ... and readers see the last complete load: its days, its figures.
    assert selectors.state_as_of(dataset, mississippi) == date(2020, 4, 12)
    assert selectors.state_series_for(dataset, mississippi)[-1].date == date(2020, 4, 12)
    answer = client.get("/api/v1/data/coronavirus/states/ms/").json()
    assert answer["as_of"] == "2020-04-12"
    history = client.get("/data/coronavirus/ms/history.csv")
    lines = b"".join(history.streaming_content).decode().splitlines()[1:]
    assert lines and max(line.split(",")[0] for line in lines) == "2020-04-12"
    # The same source loaded again completes the rows; then they are all seen.
    run = dataset_load(dataset, str(source), "nyt")
    assert run.rows_added + run.rows_unchanged == rows - run.rows_rejected
    assert LoadRun.objects.get(pid=load.pid).outcome == LoadRun.Outcome.INTERRUPTED
    dataset = Dataset.objects.get(pk=dataset.pk)
    last = date(2020, 4, 13) + timedelta(days=119)
    assert selectors.state_as_of(dataset, mississippi) == last
