"""Loads refuse what they cannot trust: files that are not whole, dates after today, counts
over the ceiling; they flag what is unlikely, name vanished counties, refuse a second load
of a dataset while one runs, show a killed load as interrupted, and on SQLite write in
short transactions."""

import io
import os
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from newscast.datadesk.models import CountyDay, LoadRun
from newscast.datadesk.pipeline import first_load, store
from newscast.datadesk.pipeline.match import Flag
from newscast.datadesk.services import HOST, LoadRefused, dataset_load
from newscast.datadesk.sources import Reason
from newscast.datadesk.tests.conftest import RECORDED, recorded
from newscast.datadesk.tests.test_load import stored


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("nyt_cut_mid_value.csv", "Line 5, the last, has no line break at its end"),
        ("nyt_cut_short_line.csv", "Line 4 has 3 fields where the header has 6"),
        ("nyt_unclosed_quote.csv", "Line 3 opens a quote that is never closed"),
    ],
)
def test_a_file_that_is_not_whole_is_refused_and_nothing_changes(loaded, name, message):
    before = stored(loaded)
    with pytest.raises(LoadRefused, match=message):
        dataset_load(loaded, recorded(name), "nyt")
    assert stored(loaded) == before
    run = LoadRun.objects.latest()
    assert run.outcome == LoadRun.Outcome.REFUSED and message in run.message


def test_a_cut_file_through_the_cli_is_one_plain_line_and_exit_status_1(
    loaded, capsys, monkeypatch
):
    from newscast.cli import main

    argv = ["newscast", "data", "load", "--format", "nyt", recorded("nyt_cut_mid_value.csv")]
    monkeypatch.setattr("sys.argv", argv)
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    # The log's warning line, then the one line for the person at the terminal.
    assert err.strip().splitlines()[-1] == (
        "CommandError: Load refused: Line 5, the last, has no line break at its end: the file "
        "was cut off, perhaps mid-value. Nothing was changed; download it again."
    )


# 04:30 UTC on 14 April is 23:30 on 13 April in Tupelo (CDT): "today" is the 13th.
@time_machine.travel(datetime(2020, 4, 14, 4, 30, tzinfo=UTC), tick=False)
def test_a_date_after_today_in_station_time_is_rejected(dataset):
    dataset.max_rejected_share = 0.7
    dataset.save()
    run = dataset_load(dataset, recorded("nyt_tomorrow.csv"), "nyt")
    assert run.rejection_counts == {Reason.FUTURE_DATE: 2}
    assert run.rejections[0]["detail"] == "2020-04-14 is after 2020-04-13"
    assert list(CountyDay.objects.values_list("date", flat=True)) == [date(2020, 4, 13)]


@time_machine.travel(datetime(2020, 4, 14, 4, 30, tzinfo=UTC), tick=False)
def test_a_file_of_tomorrow_only_is_refused_whole(loaded):
    before = stored(loaded)
    with pytest.raises(LoadRefused, match="2 of 3 rows"):
        dataset_load(loaded, recorded("nyt_tomorrow.csv"), "nyt")
    assert stored(loaded) == before


@time_machine.travel(datetime(2020, 4, 14, 15, 0, tzinfo=UTC), tick=False)
def test_the_same_file_loads_once_its_day_has_come(dataset):
    run = dataset_load(dataset, recorded("nyt_tomorrow.csv"), "nyt")
    assert run.rows_rejected == 0 and run.rows_added == 3


def test_implausible_counts_are_flagged_and_counts_over_the_ceiling_rejected(dataset):
    dataset.max_rejected_share = 0.5
    dataset.save()
    out = io.StringIO()
    call_command(
        "datadesk_load", "--format", "nyt", recorded("nyt_implausible_counts.csv"), stdout=out
    )
    run = LoadRun.objects.latest()
    assert run.rejection_counts == {Reason.OVER_CEILING: 1}  # Forrest's 50,000,000
    assert run.warning_counts == {Flag.DEATHS_ABOVE_CONFIRMED: 1, Flag.ABOVE_POPULATION: 1}
    details = [warning["detail"] for warning in run.warnings]
    assert "Hinds, Mississippi (28049) on 2020-04-13: 7 deaths, 5 confirmed" in details
    issaquena = "Issaquena, Mississippi (28055) on 2020-04-13: 2,000 confirmed, population "
    assert any(detail.startswith(issaquena) for detail in details)
    # Flagged rows are kept: the source said so, and the desk decides.
    assert CountyDay.objects.get(county_id=28055).confirmed == 2000
    printed = out.getvalue()
    assert "warning   1 x deaths above confirmed" in printed
    assert "rejected  1 x count above the dataset's ceiling" in printed


def test_the_ceiling_is_set_per_dataset(dataset):
    dataset.count_ceiling = 1000
    dataset.max_rejected_share = 0.9
    dataset.save()
    run = dataset_load(dataset, recorded("nyt_implausible_counts.csv"), "nyt")
    assert run.rejection_counts == {Reason.OVER_CEILING: 2}  # Issaquena's 2,000 too


def test_a_county_there_yesterday_and_missing_today_is_named(loaded):
    run = dataset_load(loaded, recorded("nyt_partial_day.csv"), "nyt")
    assert run.outcome == LoadRun.Outcome.SUCCESS
    assert run.warning_counts == {Flag.MISSING: 1}
    detail = run.warnings[0]["detail"]
    assert detail.startswith("4 counties had a figure on 2020-04-12 but none on 2020-04-13: ")
    for county in ("Mobile County, AL", "DeSoto County, MS", "Forrest County, MS"):
        assert county in detail


def test_jhu_report_without_a_date_in_its_name_is_refused(dataset, tmp_path):
    source = tmp_path / "latest.csv"
    shutil.copy(RECORDED / "04-12-2020.csv", source)
    with pytest.raises(LoadRefused, match="No date for latest.csv.*--date 2020-04-12"):
        dataset_load(dataset, str(source), "jhu")
    assert not CountyDay.objects.filter(dataset=dataset).exists()


def test_jhu_report_date_given_on_the_command_line(dataset, tmp_path):
    source = tmp_path / "latest.csv"
    shutil.copy(RECORDED / "06-01-2020.csv", source)
    call_command(
        "datadesk_load",
        "--format",
        "jhu",
        str(source),
        "--date",
        "2020-06-01",
        stdout=io.StringIO(),
    )
    assert set(CountyDay.objects.values_list("date", flat=True)) == {date(2020, 6, 1)}


def test_jhu_upload_with_a_suffixed_name_keeps_its_day(dataset, tmp_path):
    source = tmp_path / "01-15-2021_Xk3bT9q.csv"
    shutil.copy(RECORDED / "01-15-2021.csv", source)
    run = dataset_load(dataset, str(source), "jhu")
    assert (run.first_date, run.last_date) == (date(2021, 1, 15), date(2021, 1, 15))
    lee = CountyDay.objects.get(dataset=dataset, county_id=28081)
    assert (lee.date, lee.confirmed, lee.deaths) == (date(2021, 1, 15), 9310, 155)


def running_load(dataset, pid):
    return LoadRun.objects.create(
        dataset=dataset,
        source="elsewhere.csv",
        source_format="nyt",
        started_at=timezone.now(),
        host=HOST,
        pid=pid,
    )


def test_a_second_load_while_one_runs_is_refused_plainly(loaded):
    running_load(loaded, os.getpid())  # this process is alive: the load is really running
    before = stored(loaded)
    with pytest.raises(LoadRefused, match="Another load of Coronavirus Cases has been running"):
        dataset_load(loaded, recorded("nyt_next_day.csv"), "nyt")
    assert stored(loaded) == before
    assert LoadRun.objects.latest().outcome == LoadRun.Outcome.REFUSED


def test_the_database_allows_one_running_load_per_dataset(loaded):
    running_load(loaded, os.getpid())
    with pytest.raises(IntegrityError), transaction.atomic():
        running_load(loaded, os.getpid())


def test_a_killed_load_is_shown_as_interrupted_and_the_next_one_runs(loaded):
    child = subprocess.Popen(["true"])  # a process that has come and gone, as a killed load
    child.wait()
    gone = running_load(loaded, child.pid)
    run = dataset_load(loaded, recorded("nyt_next_day.csv"), "nyt")
    assert run.outcome == LoadRun.Outcome.SUCCESS
    gone.refresh_from_db()
    assert gone.outcome == LoadRun.Outcome.INTERRUPTED
    assert "Stopped before it finished" in gone.message


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL writes in one transaction")
def test_sqlite_writes_in_short_transactions(dataset, monkeypatch):
    monkeypatch.setattr(store, "SQLITE_STEP_ROWS", 5)
    monkeypatch.setattr(store, "SQLITE_PAUSE", 0)
    inserts = []

    def count_inserts(execute, sql, params, many, context):
        if sql.startswith(f"INSERT INTO {CountyDay._meta.db_table}"):
            inserts.append(len(params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_inserts):
        dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")
    assert inserts == [5, 5, 5, 5, 4]
    assert CountyDay.objects.filter(dataset=dataset).count() == 24


def state_index_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = %s",
            [store.STATE_INDEX],
        )
        return cursor.fetchone()[0] == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_a_big_sqlite_load_builds_the_state_index_again(dataset, monkeypatch):
    monkeypatch.setattr(store, "BIG_INSERT", 5)
    monkeypatch.setattr(store, "SQLITE_PAUSE", 0)
    dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")
    assert state_index_exists()
    assert CountyDay.objects.filter(dataset=dataset).count() == 24


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_the_next_load_builds_an_index_a_killed_load_left_dropped(loaded):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP INDEX "{store.STATE_INDEX}"')  # as a load killed mid-way leaves it
    dataset_load(loaded, recorded("nyt_next_day.csv"), "nyt")
    assert state_index_exists()


def test_an_empty_file_is_refused_as_empty(loaded, tmp_path):
    empty = tmp_path / "us-counties.csv"
    empty.write_bytes(b"")
    with pytest.raises(LoadRefused, match="The file is empty"):
        dataset_load(loaded, str(empty), "nyt")


def postgres_index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s",
            [CountyDay._meta.db_table],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_first_postgresql_load_builds_its_indexes_again_and_keeps_rows_unique(dataset):
    before = postgres_index_names()
    assert {store.STATE_INDEX, "datadesk_one_row_per_county_day"} <= before
    dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")
    assert postgres_index_names() == before
    assert CountyDay.objects.filter(dataset=dataset).count() == 24
    row = CountyDay.objects.filter(dataset=dataset).values().first()
    row.pop("id")
    with pytest.raises(IntegrityError), transaction.atomic():
        CountyDay.objects.create(**row)  # the rebuilt constraint holds


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_first_postgresql_load_that_fails_leaves_table_and_indexes_as_they_were(
    dataset, monkeypatch
):
    before = postgres_index_names()
    during = []

    def complete_fails(self, batch):
        self.close()  # the streamed rows are in the table, uncommitted
        during.append(postgres_index_names())
        raise RuntimeError("the server went away")

    monkeypatch.setattr(first_load.FirstLoad, "complete", complete_fails)
    with pytest.raises(RuntimeError):
        dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")
    assert store.STATE_INDEX not in during[0]  # the empty table's load dropped them
    assert "datadesk_countyday_pkey" not in during[0]
    assert postgres_index_names() == before
    assert not CountyDay.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_big_load_into_a_table_readers_use_keeps_its_indexes(loaded, monkeypatch):
    """Dropping an index would lock the table until the commit: readers must never wait."""
    monkeypatch.setattr(store, "BIG_INSERT", 1)
    real_copy, during = store.copy_rows, []

    def copy_watched(rows):  # a table with rows: the load is compared and copied, not streamed
        during.append(postgres_index_names())
        return real_copy(rows)

    monkeypatch.setattr(store, "copy_rows", copy_watched)
    dataset_load(loaded, recorded("nyt_next_day.csv"), "nyt")
    assert {store.STATE_INDEX, "datadesk_one_row_per_county_day"} <= during[0]
