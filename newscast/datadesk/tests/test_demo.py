"""The demo's sample dataset: made up here, labelled sample, loaded through the pipeline."""

import io
from datetime import date, timedelta

from newscast.datadesk import demo
from newscast.datadesk.models import CountyDay, Dataset, LoadRun


def test_demo_loads_sample_history_for_ms_and_al_once(geography):
    out = io.StringIO()
    demo.load(out)
    dataset = Dataset.objects.get(slug="coronavirus")
    assert dataset.is_sample
    states = set(CountyDay.objects.values_list("state__postal_code", flat=True).distinct())
    assert states == {"MS", "AL"}
    counties = CountyDay.objects.filter(county__is_unassigned=False).values("county").distinct()
    assert counties.count() == 82 + 67
    assert LoadRun.objects.get().rows_rejected == 0
    assert "county days for MS and AL" in out.getvalue()
    demo.load(io.StringIO())  # idempotent: an existing dataset is left alone
    assert LoadRun.objects.count() == 1


def test_sample_history_is_cumulative():
    lines = demo.sample_history(days=60).splitlines()
    assert lines[0] == "date,county,state,fips,cases,deaths"
    lee = [int(line.split(",")[4]) for line in lines if ",28081," in line]
    assert lee == sorted(lee) and lee[-1] > 0


def test_sample_history_has_new_cases_in_its_last_week():
    """The demo's latest week is not flat: "New, 7 days" has figures for almost every county."""
    lines = demo.sample_history().splitlines()[1:]
    last_day = max(line.split(",")[0] for line in lines)
    week_before = (date.fromisoformat(last_day) - timedelta(days=7)).isoformat()
    cases = {
        (day, fips): int(count)
        for day, _county, _state, fips, count, _deaths in (line.split(",") for line in lines)
        if fips
    }
    counties = {fips for day, fips in cases if day == last_day}
    growing = [f for f in counties if cases[(last_day, f)] > cases.get((week_before, f), 0)]
    assert len(growing) >= 0.9 * len(counties) == 0.9 * (82 + 67)
