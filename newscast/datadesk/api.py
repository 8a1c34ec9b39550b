"""The read-only JSON API: datasets, states, counties and their series, described in OpenAPI.

Served under /api/v1/data/ by django-ninja (see docs/decisions/datadesk-api.md); the OpenAPI
document is /api/v1/data/openapi.json.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema

from newscast.core.models import State
from newscast.core.selectors import covered_state_codes_for
from newscast.datadesk import selectors
from newscast.datadesk.models import Dataset
from newscast.datadesk.tables import lapsed_records, source_credit, table_records, totals_record

api = NinjaAPI(
    title="Newscast data desk API",
    version="1",
    description="County-level cumulative counts (for example COVID-19 cases) by dataset, "
    "state and county. Read-only; figures are as the source last gave them.",
    urls_namespace="datadesk_api",
    docs_url=None,  # the interactive docs load scripts from a CDN; the OpenAPI file is enough
    openapi_url="/openapi.json",
)


class SourceOut(Schema):
    name: str
    url: str
    terms: str  # licence or terms of use, as the source states them


class TotalsOut(Schema):
    confirmed: int
    deaths: int
    source: str  # how they were made: "sum of county figures"
    as_of: date | None


class LapsedOut(Schema):
    county: str
    since: date  # the county's last report, more than the carry-forward limit before as_of


class DatasetOut(Schema):
    slug: str
    name: str
    description: str
    confirmed_label: str
    deaths_label: str
    sample: bool
    last_updated: str | None
    source: SourceOut
    carry_forward_days: int
    states: list[str]  # featured states: the dataset's own, else the station's covered states


class CountyFigures(Schema):
    county: str
    fips: str
    unassigned: bool
    population: int | None
    confirmed: int
    deaths: int | None
    new_cases_7_days: int | None  # below zero: the source revised the count down
    confirmed_per_100k: float | None
    deaths_per_100k: float | None
    revised_down: bool
    reported_on: date | None  # before the state's as_of: not reported that day, carried forward


class StateOut(Schema):
    dataset: str
    sample: bool
    state: str
    name: str
    as_of: date | None
    source: SourceOut
    totals: TotalsOut
    confirmed: int  # the same as totals.confirmed, kept for earlier clients
    deaths: int
    not_reported: list[str]  # counties whose last figure is carried forward to as_of
    not_reported_since: list[LapsedOut]  # counties left out of the totals
    counties: list[CountyFigures]


class DayOut(Schema):
    date: date
    confirmed: int
    deaths: int
    new: int | None  # change from the day before; None where it spans more than a day


class SeriesOut(Schema):
    dataset: str
    sample: bool
    source: SourceOut
    place: str
    fips: str
    days: list[DayOut]


def dataset_out(dataset: Dataset, covered_codes: list[str]) -> DatasetOut:
    load = selectors.last_good_load(dataset)
    states = selectors.dataset_states(dataset, covered_codes)
    return DatasetOut(
        slug=dataset.slug,
        name=dataset.name,
        description=dataset.description,
        confirmed_label=dataset.confirmed_label,
        deaths_label=dataset.deaths_label,
        sample=dataset.is_sample,
        last_updated=load.finished_at.isoformat() if load else None,
        source=SourceOut(**source_credit(dataset)),
        carry_forward_days=dataset.carry_forward_days,
        states=[state.postal_code for state in states],
    )


def days_out(series: list[selectors.DayFigures]) -> list[DayOut]:
    """The days with a report (carried-only days are left out, as are their figures)."""
    return [
        DayOut(date=day.date, confirmed=day.confirmed, deaths=day.deaths, new=day.new)
        for day in selectors.reported_days(series)
    ]


@api.get("/datasets/", response=list[DatasetOut], summary="Every dataset")
def dataset_list(request):
    codes = covered_state_codes_for(request)
    return [dataset_out(dataset, codes) for dataset in selectors.datasets_with_states()]


@api.get("/{dataset}/", response=DatasetOut, summary="One dataset")
def dataset_detail(request, dataset: str):
    return dataset_out(get_object_or_404(Dataset, slug=dataset), covered_state_codes_for(request))


@api.get(
    "/{dataset}/states/{state}/",
    response=StateOut,
    summary="A state's latest totals and county rows",
    description="County rows in the widget's order: confirmed cases, highest first, then "
    "the Unassigned bucket last. `state` is a postal code (MS).",
)
def state_detail(request, dataset: str, state: str):
    found = get_object_or_404(Dataset, slug=dataset)
    where = get_object_or_404(State, postal_code=state.upper())
    table = selectors.state_table_for(found, where)
    return StateOut(
        dataset=found.slug,
        sample=found.is_sample,
        state=where.postal_code,
        name=where.name,
        as_of=table.as_of,
        source=SourceOut(**source_credit(found)),
        totals=TotalsOut(**totals_record(table.totals)),
        confirmed=table.confirmed,
        deaths=table.deaths,
        not_reported=[row.name for row in table.not_reported],
        not_reported_since=[LapsedOut(**record) for record in lapsed_records(table)],
        counties=[CountyFigures(**record) for record in table_records(table)],
    )


@api.get("/{dataset}/states/{state}/series/", response=SeriesOut, summary="A state's daily totals")
def state_series(request, dataset: str, state: str):
    found = get_object_or_404(Dataset, slug=dataset)
    where = get_object_or_404(State, postal_code=state.upper())
    return SeriesOut(
        dataset=found.slug,
        sample=found.is_sample,
        source=SourceOut(**source_credit(found)),
        place=where.name,
        fips=where.fips,
        days=days_out(selectors.state_series_for(found, where)),
    )


@api.get("/{dataset}/counties/{fips}/", response=SeriesOut, summary="A county's daily counts")
def county_series(request, dataset: str, fips: str):
    found = get_object_or_404(Dataset, slug=dataset)
    county = selectors.county_by_fips(fips)
    if county is None:
        raise Http404(f"No county with FIPS {fips}.")
    return SeriesOut(
        dataset=found.slug,
        sample=found.is_sample,
        source=SourceOut(**source_credit(found)),
        place=f"{county.full_name}, {county.state.name}",
        fips=county.fips,
        days=days_out(selectors.county_series_for(found, county)),
    )
