"""Parsers, on recorded files of each format: pure functions, no database."""

from datetime import date

import pytest

from newscast.datadesk.sources import (
    Reason,
    Rejection,
    Row,
    Skipped,
    SourceError,
    generic,
    jhu,
    nyt,
)
from newscast.datadesk.tests.conftest import RECORDED


def lines(name):
    return (RECORDED / name).open(encoding="utf-8-sig", newline="")


def test_nyt_reads_every_row_with_typed_values():
    rows = list(nyt.parse(lines("nyt_us_counties.csv")))
    assert len(rows) == 24
    assert all(isinstance(row, Row) for row in rows)
    assert rows[0] == Row(2, date(2020, 4, 10), "Alabama", "Jefferson", "01073", 458, 11)
    unknown = rows[2]
    assert (unknown.county, unknown.fips) == ("Unknown", "")


def test_nyt_live_file_extra_columns_are_ignored_and_blank_deaths_kept_as_none():
    rows = list(nyt.parse(lines("nyt_live_extra_columns.csv")))
    assert [(row.county, row.confirmed, row.deaths) for row in rows] == [
        ("Lee", 61, 4),
        ("Hinds", 203, 5),
    ]


def test_nyt_wrong_header_is_refused_naming_the_expected_columns_not_quoting_the_file():
    with pytest.raises(SourceError) as refused:
        list(nyt.parse(lines("nyt_wrong_header.csv")))
    message = str(refused.value)
    assert "missing column(s) cases" in message
    assert "expected date,county,state,fips,cases,deaths" in message
    assert "confirmed" not in message  # the file's own column name is not repeated


def test_nyt_empty_file_is_refused():
    with pytest.raises(SourceError, match="empty"):
        list(nyt.parse([]))


def test_nyt_bad_rows_become_rejections_with_reasons():
    parsed = list(nyt.parse(lines("nyt_bad_rows.csv")))
    rejections = {item.line: item for item in parsed if isinstance(item, Rejection)}
    assert rejections[10].reason == Reason.NOT_A_NUMBER
    assert "not reported" in rejections[10].detail
    assert rejections[11].reason == Reason.NEGATIVE
    assert rejections[15].reason == Reason.BAD_DATE
    # Places and duplicates are judged later, against the reference geography.
    assert len([item for item in parsed if isinstance(item, Row)]) == 12


def test_a_line_cut_short_refuses_the_file_naming_the_line():
    with pytest.raises(SourceError, match="Line 4 has 3 fields where the header has 6"):
        list(nyt.parse(lines("nyt_cut_short_line.csv")))


def test_an_unclosed_quote_refuses_the_file_naming_the_line_it_opens_on():
    with pytest.raises(SourceError, match="Line 3 opens a quote that is never closed"):
        list(nyt.parse(lines("nyt_unclosed_quote.csv")))


def test_a_field_over_the_csv_limit_refuses_the_file_naming_the_line():
    text = "date,county,state,fips,cases,deaths\n2020-04-13,Lee,Mississippi,28081,61,4\n"
    text += "2020-04-13,Hinds," + "M" * 200_000 + ",28049,203,5\n"
    with pytest.raises(SourceError, match="Line 3 is not valid CSV .field larger than field limit"):
        list(nyt.parse(text.splitlines(keepends=True)))


def test_every_format_checks_the_field_count():
    text = [
        "FIPS,Admin2,Province_State,Country_Region,Confirmed,Deaths\n",
        "28081,Lee,Mississippi,US,58\n",
    ]
    with pytest.raises(SourceError, match="Line 2 has 5 fields where the header has 6"):
        list(jhu.parse(text, date(2020, 4, 12)))
    text = [
        "Report Date,State Name,County Name,County FIPS,Total Cases,Total Deaths\n",
        "04/12/2020,Mississippi\n",
    ]
    with pytest.raises(SourceError, match="Line 2 has 2 fields"):
        list(generic.parse(text, MAPPING, "%m/%d/%Y"))


def test_jhu_report_date_comes_from_the_file_name():
    assert jhu.report_date("https://example.org/daily/04-12-2020.csv") == date(2020, 4, 12)
    assert jhu.report_date("latest.csv") is None


def test_jhu_report_date_is_found_anywhere_in_the_name_also_with_an_upload_suffix():
    assert jhu.report_date("04-12-2020_Xk3bT9q.csv") == date(2020, 4, 12)
    assert jhu.report_date("jhu daily 01-15-2021 (1).csv") == date(2021, 1, 15)
    assert jhu.report_date("report-104-12-20201.csv") is None  # digits run on: not a date


def test_jhu_a_name_with_an_impossible_date_is_refused():
    with pytest.raises(SourceError, match="13-45-2020, which is not a date"):
        jhu.report_date("13-45-2020.csv")


def test_jhu_keeps_us_places_and_skips_the_rest():
    parsed = list(jhu.parse(lines("04-12-2020.csv"), date(2020, 4, 12)))
    rows = [item for item in parsed if isinstance(item, Row)]
    skipped = [item for item in parsed if isinstance(item, Skipped)]
    assert len(rows) == 8
    assert len(skipped) == 3  # "Recovered, US", Afghanistan, Alberta
    assert {row.date for row in rows} == {date(2020, 4, 12)}
    lee = next(row for row in rows if row.county == "Lee")
    assert (lee.fips, lee.state, lee.confirmed, lee.deaths) == ("28081", "Mississippi", 58, 4)


def test_jhu_later_header_with_bom_and_float_fips():
    rows = [
        item
        for item in jhu.parse(lines("06-01-2020.csv"), date(2020, 6, 1))
        if isinstance(item, Row)
    ]
    assert [(row.fips, row.confirmed) for row in rows] == [("28081.0", 412), ("28049.0", 988)]


def test_jhu_day_is_the_one_given_never_last_update():
    # Every Last_Update in this file is 2 June; the report is 1 June's.
    rows = [
        item
        for item in jhu.parse(lines("06-01-2020.csv"), date(2020, 6, 1))
        if isinstance(item, Row)
    ]
    assert {row.date for row in rows} == {date(2020, 6, 1)}


def test_jhu_renamed_columns_of_later_reports_and_unassigned_without_fips():
    parsed = list(jhu.parse(lines("01-15-2021.csv"), date(2021, 1, 15)))
    rows = [item for item in parsed if isinstance(item, Row)]
    assert [(row.county, row.fips, row.confirmed) for row in rows] == [
        ("Lee", "28081", 9310),
        ("Hinds", "28049", 14520),
        ("Unassigned", "", 0),
    ]
    assert len([item for item in parsed if isinstance(item, Skipped)]) == 2


def test_jhu_early_reports_without_counties_are_refused():
    with pytest.raises(SourceError, match="missing column.*FIPS"):
        list(jhu.parse(lines("03-01-2020.csv"), date(2020, 3, 1)))


MAPPING = {
    "date": "Report Date",
    "state": "State Name",
    "county": "County Name",
    "fips": "County FIPS",
    "confirmed": "Total Cases",
    "deaths": "Total Deaths",
}


def test_generic_csv_reads_through_the_mapping():
    rows = list(generic.parse(lines("county_cases_mapped.csv"), MAPPING, "%m/%d/%Y"))
    assert [(row.state, row.county, row.confirmed) for row in rows][:2] == [
        ("Mississippi", "Lee County", 58),
        ("Mississippi", "Hinds County", 195),
    ]
    assert rows[0].date == date(2020, 4, 12)


def test_generic_csv_with_a_column_the_file_lacks_is_refused():
    with pytest.raises(SourceError, match="missing column.*Cases Total"):
        list(
            generic.parse(lines("county_cases_mapped.csv"), MAPPING | {"confirmed": "Cases Total"})
        )


def test_generic_csv_needs_county_or_fips():
    with pytest.raises(SourceError, match="county column, a FIPS column"):
        list(generic.parse([], MAPPING | {"county": "", "fips": ""}))


def test_generic_csv_wrong_date_format_rejects_rows():
    parsed = list(generic.parse(lines("county_cases_mapped.csv"), MAPPING, "%Y-%m-%d"))
    assert {item.reason for item in parsed} == {Reason.BAD_DATE}


def test_counts_too_large_to_store_are_rejected():
    from newscast.datadesk.sources import CountError, parse_count

    assert parse_count("2147483647", "cases") == 2_147_483_647
    with pytest.raises(CountError, match="too large"):
        parse_count("99999999999", "cases")


def test_a_digit_that_is_not_a_number_is_a_rejected_row_not_a_crash():
    """Python calls "²" a digit, but int() refuses it: the fast path must not take it."""
    text = "date,county,state,fips,cases,deaths\n2020-04-13,Lee,Mississippi,28081,4²,1\n"
    (rejection,) = nyt.parse(text.splitlines(keepends=True))
    assert rejection.reason == Reason.NOT_A_NUMBER
    assert rejection.line == 2
