"""The load service: matching, storing, idempotence, corrections, rejections and refusals."""

from datetime import date

import pytest

from newscast.datadesk.models import CountyDay, Dataset, LoadRun
from newscast.datadesk.services import LoadRefused, dataset_load
from newscast.datadesk.sources import Reason
from newscast.datadesk.tests.conftest import recorded


def stored(dataset):
    """Every stored row as plain values, to compare before and after a load."""
    return sorted(
        CountyDay.objects.filter(dataset=dataset).values_list(
            "county_id", "date", "confirmed", "deaths", "revised_down"
        )
    )


def test_nyt_load_stores_one_row_per_county_per_day(dataset):
    run = dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")
    assert run.outcome == LoadRun.Outcome.SUCCESS
    assert (run.rows_read, run.rows_added, run.rows_rejected) == (24, 24, 0)
    assert (run.first_date, run.last_date) == (date(2020, 4, 10), date(2020, 4, 12))
    assert len(run.checksum) == 64
    lee = CountyDay.objects.get(dataset=dataset, county_id=28081, date=date(2020, 4, 12))
    assert (lee.confirmed, lee.deaths, lee.state_id) == (58, 4, 28)
    unknown = CountyDay.objects.get(dataset=dataset, county_id=90028, date=date(2020, 4, 12))
    assert unknown.confirmed == 60


def test_the_same_file_twice_changes_nothing(dataset):
    dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")
    before = stored(dataset)
    again = dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")
    assert (again.rows_added, again.rows_changed, again.rows_unchanged) == (0, 0, 24)
    assert stored(dataset) == before


def test_a_new_day_adds_only_that_day(loaded):
    run = dataset_load(loaded, recorded("nyt_next_day.csv"), "nyt")
    assert (run.rows_added, run.rows_changed, run.rows_revised_down) == (8, 0, 0)
    assert CountyDay.objects.filter(dataset=loaded).count() == 32


def test_a_falling_count_is_kept_as_a_correction_and_flagged(loaded):
    run = dataset_load(loaded, recorded("nyt_correction_lee_falls.csv"), "nyt")
    assert run.outcome == LoadRun.Outcome.SUCCESS
    assert run.rows_revised_down == 1
    assert run.corrections == [
        {
            "line": 8,
            "fips": "28081",
            "date": "2020-04-13",
            "confirmed": [58, 55],
            "deaths": [4, 3],
        }
    ]
    lee = CountyDay.objects.get(dataset=loaded, county_id=28081, date=date(2020, 4, 13))
    assert (lee.confirmed, lee.revised_down) == (55, True)
    assert CountyDay.objects.filter(dataset=loaded, revised_down=True).count() == 1


def test_a_changed_day_replaces_the_stored_one(loaded):
    dataset_load(loaded, recorded("nyt_next_day.csv"), "nyt")
    run = dataset_load(loaded, recorded("nyt_correction_lee_falls.csv"), "nyt")
    assert (run.rows_added, run.rows_changed, run.rows_unchanged) == (0, 1, 7)
    lee = CountyDay.objects.get(dataset=loaded, county_id=28081, date=date(2020, 4, 13))
    assert lee.confirmed == 55


def test_every_rejection_reason_is_recorded(dataset):
    dataset.max_rejected_share = 0.6
    dataset.save()
    run = dataset_load(dataset, recorded("nyt_bad_rows.csv"), "nyt")
    assert run.outcome == LoadRun.Outcome.SUCCESS
    assert run.rejection_counts == {
        Reason.NOT_A_NUMBER: 1,
        Reason.NEGATIVE: 1,
        Reason.UNKNOWN_PLACE: 3,  # Gotham, Puerto Rico, New York City (no FIPS)
        Reason.DUPLICATE: 1,
        Reason.BAD_DATE: 1,
    }
    assert run.rows_rejected == 7
    assert run.rows_added == 8
    by_line = {item["line"]: item for item in run.rejections}
    assert by_line[14]["reason"] == Reason.DUPLICATE  # the second Hinds row; the first is kept
    assert "Gotham" in by_line[12]["detail"]
    assert "Puerto Rico" in by_line[13]["detail"]


def test_too_many_rejections_refuse_the_load_and_nothing_changes(loaded):
    before = stored(loaded)
    with pytest.raises(LoadRefused) as refused:
        dataset_load(loaded, recorded("nyt_bad_rows.csv"), "nyt")
    run = refused.value.run
    assert run.outcome == LoadRun.Outcome.REFUSED
    assert "7 of 15 rows" in run.message and "Nothing was changed" in run.message
    assert run.rows_rejected == 7
    assert stored(loaded) == before


def test_a_wrong_header_refuses_the_load(loaded):
    before = stored(loaded)
    with pytest.raises(LoadRefused, match="Wrong header"):
        dataset_load(loaded, recorded("nyt_wrong_header.csv"), "nyt")
    assert stored(loaded) == before
    assert LoadRun.objects.filter(outcome=LoadRun.Outcome.REFUSED).count() == 1


def test_a_missing_file_refuses_the_load(dataset):
    with pytest.raises(LoadRefused, match="No file at"):
        dataset_load(dataset, "/nonexistent/us-counties.csv", "nyt")


def test_a_dataset_without_a_source_is_refused(dataset):
    with pytest.raises(LoadRefused, match="has no source"):
        dataset_load(dataset)


def test_jhu_unassigned_and_out_of_state_add_up_in_the_bucket(dataset):
    run = dataset_load(dataset, recorded("04-12-2020.csv"), "jhu")
    assert (run.rows_read, run.rows_skipped, run.rows_rejected) == (8, 3, 0)
    bucket = CountyDay.objects.get(dataset=dataset, county_id=90028)
    assert (bucket.date, bucket.confirmed, bucket.deaths) == (date(2020, 4, 12), 12, 1)
    assert CountyDay.objects.filter(dataset=dataset).count() == 7


def test_jhu_float_fips_match_counties(dataset):
    dataset_load(dataset, recorded("06-01-2020.csv"), "jhu")
    assert stored(dataset) == [
        (28049, date(2020, 6, 1), 988, 26, False),
        (28081, date(2020, 6, 1), 412, 14, False),
    ]


def test_generic_csv_matches_names_without_fips(geography):
    dataset = Dataset.objects.create(
        name="County cases",
        slug="county-cases",
        source_format="csv",
        column_date="Report Date",
        date_format="%m/%d/%Y",
        column_state="State Name",
        column_county="County Name",
        column_fips="County FIPS",
        column_confirmed="Total Cases",
        column_deaths="Total Deaths",
    )
    run = dataset_load(dataset, recorded("county_cases_mapped.csv"))
    assert run.rows_added == 4
    assert [row[:3] for row in stored(dataset)] == [
        (1115, date(2020, 4, 12), 60),  # St. Clair County, AL
        (28033, date(2020, 4, 12), 183),  # "De Soto" -> DeSoto County
        (28049, date(2020, 4, 12), 195),
        (28081, date(2020, 4, 12), 58),  # "Lee County" with no FIPS
    ]


def test_a_wrong_header_is_told_without_repeating_the_source(dataset, httpserver):
    """A URL that answers something else (an internal service's reply, an error page): the
    message names the expected columns and what is wrong, never the answer's text."""
    page = "<!doctype html><title>admin console token=s3cr3t-internal</title>,fips,cases\n"
    httpserver.expect_request("/us-counties.csv").respond_with_data(page + "x,y,z\n")
    with pytest.raises(LoadRefused):
        dataset_load(dataset, httpserver.url_for("/us-counties.csv"), "nyt")
    message = LoadRun.objects.get().message
    assert "s3cr3t" not in message and "doctype" not in message and "admin console" not in message
    assert message.startswith("Wrong header for the NYT format: its first line looks like an HTML")
    assert "missing column(s) date, county, state, deaths" in message
    assert "expected date,county,state,fips,cases,deaths" in message


def test_a_long_rejected_cell_is_kept_as_a_short_excerpt(dataset, tmp_path):
    source = tmp_path / "us-counties.csv"
    long_date = "2020-04-1" + "9" * 5000
    source.write_text(
        "date,county,state,fips,cases,deaths\n"
        f"{long_date},Lee,Mississippi,28081,10,1\n"
        "2020-04-10,Lee,Mississippi,28081,10,1\n"
    )
    dataset.max_rejected_share = 1
    dataset.save()
    run = dataset_load(dataset, str(source), "nyt")
    [rejection] = run.rejections
    assert len(rejection["detail"]) == 160 and rejection["detail"].endswith("…")
