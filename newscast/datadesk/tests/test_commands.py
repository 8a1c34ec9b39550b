"""`newscast data load` (datadesk_load): summaries and exit status, from files and URLs."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from newscast.datadesk.models import CountyDay, LoadRun
from newscast.datadesk.tests.conftest import RECORDED, recorded


def load(*args):
    out = io.StringIO()
    call_command("datadesk_load", *args, stdout=out)
    return out.getvalue()


def test_load_prints_the_report(dataset):
    out = load("--format", "nyt", recorded("nyt_us_counties.csv"), "--dataset", "coronavirus")
    assert out.startswith("Loaded: ")
    assert "24 read, 24 added, 0 changed, 0 unchanged, 0 rejected" in out
    assert "2020-04-10 to 2020-04-12" in out


def test_refused_load_exits_non_zero_with_the_reasons(loaded):
    with pytest.raises(CommandError, match="Load refused: Refused: 7 of 15 rows"):
        load("--format", "nyt", recorded("nyt_bad_rows.csv"))
    assert CountyDay.objects.filter(dataset=loaded).count() == 24


def test_refused_load_exits_1_through_the_cli(loaded, capsys, monkeypatch):
    from newscast.cli import main

    argv = ["newscast", "data", "load", "--format", "nyt", recorded("nyt_wrong_header.csv")]
    monkeypatch.setattr("sys.argv", argv)
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 1
    assert "Wrong header" in capsys.readouterr().err


def not_utf8_file(folder: Path) -> Path:
    """A CSV whose first line is fine and whose rest is binary, as a spreadsheet saved wrong."""
    binary = folder / "binary.csv"
    binary.write_bytes(
        b"date,county,state,fips,cases,deaths\n2020-04-13,Lee,Mississippi,28081,61,4\n"
        + bytes(range(128, 256)) * 64
    )
    return binary


def test_a_file_that_is_not_utf8_is_refused_and_changes_nothing(loaded, tmp_path):
    with pytest.raises(CommandError, match="Load refused: The file is not UTF-8 text"):
        load("--format", "nyt", str(not_utf8_file(tmp_path)))
    run = LoadRun.objects.latest()
    assert run.outcome == LoadRun.Outcome.REFUSED and "Save it as CSV (UTF-8)" in run.message
    assert CountyDay.objects.filter(dataset=loaded).count() == 24  # nothing served changed


def test_a_file_that_is_not_utf8_exits_1_through_the_cli(loaded, capsys, monkeypatch, tmp_path):
    from newscast.cli import main

    argv = ["newscast", "data", "load", "--format", "nyt", str(not_utf8_file(tmp_path))]
    monkeypatch.setattr("sys.argv", argv)
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 1
    assert "not UTF-8 text" in capsys.readouterr().err


def test_unknown_dataset_says_which_exist(dataset):
    with pytest.raises(CommandError, match="No dataset 'flu'.*datasets: coronavirus"):
        load("--format", "nyt", recorded("nyt_us_counties.csv"), "--dataset", "flu")


def test_load_from_a_url(dataset, httpserver):
    body = (RECORDED / "04-12-2020.csv").read_bytes()
    httpserver.expect_request("/daily/04-12-2020.csv").respond_with_data(
        body, content_type="text/csv"
    )
    out = load("--format", "jhu", httpserver.url_for("/daily/04-12-2020.csv"))
    assert "8 read, 7 added" in out and "3 skipped" in out
    run = LoadRun.objects.get()
    assert run.source.endswith("/daily/04-12-2020.csv") and run.succeeded


def test_a_url_that_fails_is_refused_and_keeps_the_data(loaded, httpserver):
    httpserver.expect_request("/us-counties.csv").respond_with_data("gone", status=404)
    with pytest.raises(CommandError, match="HTTP 404"):
        load("--format", "nyt", httpserver.url_for("/us-counties.csv"))
    assert CountyDay.objects.filter(dataset=loaded).count() == 24


def test_a_url_with_a_bad_body_is_refused(loaded, httpserver):
    httpserver.expect_request("/us-counties.csv").respond_with_data(
        "<html>Rate limited</html>", content_type="text/html"
    )
    with pytest.raises(CommandError, match="Wrong header for the NYT format"):
        load("--format", "nyt", httpserver.url_for("/us-counties.csv"))


def test_command_word_translation_exists():
    assert Path(__file__).parents[1].joinpath("management/commands/datadesk_load.py").exists()


def test_a_fresh_install_creates_the_dataset_with_create(db):
    from newscast.datadesk.models import Dataset

    assert not Dataset.objects.exists()
    out = load(
        "--format", "jhu", recorded("04-12-2020.csv"),
        "--dataset", "coronavirus", "--create", "Coronavirus Cases",
    )  # fmt: skip
    assert out.startswith("Loaded: ")
    dataset = Dataset.objects.get(slug="coronavirus")
    assert (dataset.name, dataset.source_format) == ("Coronavirus Cases", "jhu")
    assert dataset.source_link == "https://github.com/CSSEGISandData/COVID-19"
    assert dataset.source_url == "" and not dataset.nightly  # a file is no nightly source
    assert CountyDay.objects.filter(dataset=dataset).count() == 7
    # Again with --create: the dataset exists, so it is loaded as it is.
    again = load("--format", "jhu", recorded("04-12-2020.csv"), "--create", "Other Name")
    assert "0 added" in again and Dataset.objects.get().name == "Coronavirus Cases"


def test_without_create_a_missing_dataset_says_how_to_make_it(db):
    with pytest.raises(
        CommandError, match="No dataset .coronavirus. .datasets: none yet.. Pass --create"
    ):
        load("--format", "nyt", recorded("nyt_us_counties.csv"))


def test_a_bad_date_option_is_a_plain_error(dataset):
    with pytest.raises(CommandError, match="--date '12/04/2020' is not a date"):
        load("--format", "jhu", recorded("04-12-2020.csv"), "--date", "12/04/2020")
