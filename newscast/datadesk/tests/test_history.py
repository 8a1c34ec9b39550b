"""History that follows the calendar, on a recorded NYT-shaped file of 1-17 April 2020:

    Forrest reports once (1 April: 5) and never again; Hinds and Lee every day but 5 April
    (nobody reports); Lee also skips 8 April; Lee falls from 36 to 34 on 10 April.

and the figures' source and totals, as the pages, downloads and API give them.
"""

import csv
import io
from datetime import date

import pytest

from newscast.core.models import County, State
from newscast.datadesk import selectors
from newscast.datadesk.charts import daily_chart
from newscast.datadesk.services import dataset_load
from newscast.datadesk.tests.conftest import recorded

# Daily new in Mississippi, 2 to 17 April, by the rule of selectors.DayFigures.
EXPECTED_NEW = {
    2: 12, 3: 8, 4: 10,
    5: None,  # nobody reported: a gap
    6: None,  # the day after a gap: the change spans two days
    7: 13,
    8: 10,  # Lee did not report: its figure is carried, so only Hinds' change
    9: 13,
    10: -1,  # Lee 36 -> 34, Hinds +1: a revision, shown as such
    11: 15, 12: 3, 13: 5, 14: 6, 15: 3,
    16: 13,  # Forrest lapses today (15 days since its report): left out of both days
    17: 2,
}  # fmt: skip


@pytest.fixture
def history(dataset):
    dataset.source_name = "The New York Times"
    dataset.source_link = "https://github.com/nytimes/covid-19-data"
    dataset.source_terms = "CC BY-NC 4.0"
    dataset.save()
    dataset_load(dataset, recorded("nyt_history_gaps_revision_lapse.csv"), "nyt")
    return dataset


def mississippi():
    return State.objects.get(postal_code="MS")


def test_state_daily_new_per_calendar_day_with_gaps_and_revisions(history):
    days = selectors.state_series_for(history, mississippi())
    assert [day.date for day in days] == [date(2020, 4, n) for n in range(1, 18)]
    assert days[0].new is None  # nothing before the first day
    assert {day.date.day: day.new for day in days[1:]} == EXPECTED_NEW
    assert [day.reported for day in days].count(False) == 1  # 5 April
    # Totals carry Forrest to 15 April (14 days), then leave it out.
    totals = {day.date.day: day.confirmed for day in days}
    assert (totals[5], totals[15], totals[16]) == (20 + 120 + 5, 46 + 191 + 5, 50 + 200)


def test_the_seven_day_average_only_over_complete_windows(history):
    days = selectors.state_series_for(history, mississippi())
    averages = selectors.rolling_average([day.new for day in days])
    by_day = {day.date.day: avg for day, avg in zip(days, averages, strict=True)}
    assert all(by_day[n] is None for n in range(1, 13))  # every window holds 1, 5 or 6 April
    assert by_day[13] == pytest.approx((13 + 10 + 13 - 1 + 15 + 3 + 5) / 7)
    assert by_day[17] == pytest.approx((15 + 3 + 5 + 6 + 3 + 13 + 2) / 7)


def test_the_chart_draws_gaps_and_revisions_and_says_so(history):
    chart = daily_chart(
        selectors.state_series_for(history, mississippi()), "Mississippi", chart_id="c"
    )
    assert 'class="chart-revised"' in chart.svg
    assert "3 days have no complete figure (gaps)"  # 1, 5 and 6 April in chart.summary
    assert "On 1 day the source revised the count down" in chart.summary
    recent = {day.day: (value, avg) for day, value, avg in chart.recent}
    assert recent[10][0] == -1 and recent[6] == (None, None)
    # The average line starts again after the gaps: one segment, from 13 April.
    assert chart.svg.count('class="chart-average" d="M') == 1


def test_state_table_new_in_7_days_lapsed_counties_and_totals(history):
    table = selectors.state_table_for(history, mississippi())
    assert table.as_of == date(2020, 4, 17)
    assert [row.name for row in table.rows] == ["Hinds", "Lee"]
    assert [(row.name, row.reported_on) for row in table.lapsed] == [("Forrest", date(2020, 4, 1))]
    assert (table.confirmed, table.deaths) == (252, 3)
    # Against 10 April exactly: Hinds 201 - 171, Lee 51 - 34.
    assert [row.new_cases for row in table.rows] == [30, 17]
    assert table.new_cases == 47
    assert table.totals == selectors.Totals(252, 3, "sum of county figures", date(2020, 4, 17))


def test_the_carry_forward_limit_is_set_per_dataset(history):
    history.carry_forward_days = 20
    history.save()
    table = selectors.state_table_for(history, mississippi())
    assert table.lapsed == [] and table.confirmed == 257


def test_new_in_7_days_needs_the_figure_exactly_seven_days_before(history):
    # On 12 April the week-ago day is 5 April, when nobody reported: the 4 April figures,
    # carried one day, count.
    table = selectors.state_table_for(history, mississippi(), as_of=date(2020, 4, 12))
    assert {row.name: row.new_cases for row in table.rows} == {
        "Hinds": 182 - 120,
        "Lee": 41 - 20,
        "Forrest": 0,
    }
    # On 7 April there is no figure a week earlier at all.
    table = selectors.state_table_for(history, mississippi(), as_of=date(2020, 4, 7))
    assert table.new_cases is None


def test_new_in_7_days_is_a_dash_without_a_week_of_history(loaded, client):
    table = selectors.state_table_for(loaded, mississippi())
    assert table.new_cases is None  # 10 to 12 April only: no figure from 5 April
    page = client.get("/data/coronavirus/ms/").content.decode()
    assert '<dt>New in the last 7 days</dt><dd class="num">–</dd>' in page


def test_county_series_and_page(history, client):
    lee = County.objects.get(pk=28081)
    days = selectors.county_series_for(history, lee)
    news = {day.date.day: day.new for day in days}
    assert (news[5], news[6], news[7], news[8], news[9], news[10]) == (
        None,
        None,
        3,
        None,
        None,
        -2,
    )
    assert selectors.week_change(days) == 51 - 34
    page = client.get("/data/coronavirus/ms/28081/").content.decode()
    assert '<dd class="num">17</dd>' in page
    assert "−2 (revised)" in page
    assert (
        'Source: <a href="https://github.com/nytimes/covid-19-data">The New York Times</a>' in page
    )


def test_lapsed_county_page_says_not_reported_since(history, client):
    page = client.get("/data/coronavirus/ms/28035/").content.decode()
    assert "Not reported since Apr 1, 2020" in page


def test_state_page_states_the_rules_the_source_and_the_lapsed_county(history, client):
    page = client.get("/data/coronavirus/ms/").content.decode()
    assert "Forrest (not reported since Apr 1, 2020)" in page
    assert "left out of the totals" in page
    assert "How these figures are made" in page
    assert "Totals: sum of county figures, as of Apr 17, 2020." in page
    assert "(CC BY-NC 4.0)" in page
    assert "−1 (revised)" in page  # 10 April in the chart's table


def test_api_gives_totals_source_and_lapsed_counties(history, client):
    body = client.get("/api/v1/data/coronavirus/states/ms/").json()
    assert body["totals"] == {
        "confirmed": 252,
        "deaths": 3,
        "source": "sum of county figures",
        "as_of": "2020-04-17",
    }
    assert body["source"] == {
        "name": "The New York Times",
        "url": "https://github.com/nytimes/covid-19-data",
        "terms": "CC BY-NC 4.0",
    }
    assert body["not_reported_since"] == [{"county": "Forrest", "since": "2020-04-01"}]
    series = client.get("/api/v1/data/coronavirus/states/ms/series/").json()
    assert "2020-04-05" not in [day["date"] for day in series["days"]]  # nobody reported
    assert {day["date"]: day["new"] for day in series["days"]}["2020-04-10"] == -1
    assert series["source"]["name"] == "The New York Times"
    datasets = client.get("/api/v1/data/datasets/").json()
    assert datasets[0]["source"]["terms"] == "CC BY-NC 4.0"
    assert datasets[0]["carry_forward_days"] == 14


def test_downloads_carry_the_source_credit_and_totals(history, client):
    body = client.get("/data/coronavirus/ms.json").json()
    assert body["source"]["name"] == "The New York Times"
    assert body["totals"]["source"] == "sum of county figures"
    assert body["not_reported_since"] == [{"county": "Forrest", "since": "2020-04-01"}]
    rows = list(
        csv.DictReader(io.StringIO(client.get("/data/coronavirus/ms.csv").content.decode()))
    )
    credit = "The New York Times, https://github.com/nytimes/covid-19-data, CC BY-NC 4.0"
    assert {row["source"] for row in rows} == {credit}
    history_csv = b"".join(client.get("/data/coronavirus/ms/history.csv").streaming_content)
    rows = list(csv.DictReader(io.StringIO(history_csv.decode())))
    assert {row["source"] for row in rows} == {credit}


def test_nyt_state_file_gives_the_states_own_totals_with_their_date(loaded, client):
    run = dataset_load(loaded, recorded("nyt_us_states.csv"), "nyt")
    # Puerto Rico and Guam are outside the reference: skipped, as other countries are.
    assert (run.rows_read, run.rows_skipped, run.rows_added) == (2, 2, 2)
    table = selectors.state_table_for(loaded, mississippi())
    assert table.totals == selectors.Totals(2781, 96, "reported by the state", date(2020, 4, 12))
    assert (table.county_confirmed, table.county_deaths) == (606, 14)
    body = client.get("/api/v1/data/coronavirus/states/ms/").json()
    assert body["totals"] == {
        "confirmed": 2781,
        "deaths": 96,
        "source": "reported by the state",
        "as_of": "2020-04-12",
    }
    page = client.get("/data/coronavirus/ms/").content.decode()
    assert "Totals: reported by the state, as of Apr 12, 2020." in page
    assert "The county figures add up to 606 and 14." in page
    again = dataset_load(loaded, recorded("nyt_us_states.csv"), "nyt")
    assert (again.rows_added, again.rows_changed, again.rows_unchanged) == (0, 0, 2)


def test_jhu_daily_us_report_gives_state_totals_by_its_file_name_date(loaded):
    run = dataset_load(loaded, recorded("04-12-2020_us.csv"), "jhu")
    assert (run.rows_read, run.rows_skipped) == (2, 2)  # Diamond Princess, Recovered
    assert (run.first_date, run.last_date) == (date(2020, 4, 12), date(2020, 4, 12))
    table = selectors.state_table_for(loaded, State.objects.get(postal_code="AL"))
    assert table.totals == selectors.Totals(3563, 93, "reported by the state", date(2020, 4, 12))


def test_state_totals_older_than_the_carry_forward_limit_give_way_to_the_county_sum(history):
    dataset_load(history, recorded("nyt_us_states.csv"), "nyt")  # 12 April; counties to 17th
    history.carry_forward_days = 3
    history.save()
    assert selectors.state_table_for(history, mississippi()).totals.source == (
        "sum of county figures"
    )
