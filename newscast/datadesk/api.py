"""The read-only JSON API: datasets, states, counties and their series, described in OpenAPI.

Served under /api/v1/data/ by django-ninja (see docs/decisions/datadesk-api.md); the OpenAPI
document is /api/v1/data/openapi.json.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema

from newscast.datadesk import selectors
from newscast.datadesk.models import County, Dataset, State
from newscast.datadesk.views import covered_codes, table_records

api = NinjaAPI(
    title="Newscast data desk API",
    version="1",
    description="County-level cumulative counts (for example COVID-19 cases) by dataset, "
    "state and county. Read-only; figures are as the source last gave them.",
    urls_namespace="datadesk_api",
    docs_url=None,  # the interactive docs load scripts from a CDN; the OpenAPI file is enough
    openapi_url="/openapi.json",
)


class DatasetOut(Schema):
    slug: str
    name: str
    description: str
    confirmed_label: str
    deaths_label: str
    sample: bool
    last_updated: str | None
    states: list[str]  # featured states: the dataset's own, else the station's covered states


class CountyFigures(Schema):
    county: str
    fips: str
    unassigned: bool
    population: int | None
    confirmed: int
    deaths: int | None
    new_cases_7_days: int | None
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
    confirmed: int
    deaths: int
    not_reported: list[str]  # counties whose last figure is carried forward to as_of
    counties: list[CountyFigures]


class DayOut(Schema):
    date: date
    confirmed: int
    deaths: int


class SeriesOut(Schema):
    dataset: str
    sample: bool
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
        states=[state.postal_code for state in states],
    )


def days_out(series) -> list[DayOut]:
    return [DayOut(date=day, confirmed=c, deaths=d) for day, c, d in series]


@api.get("/datasets/", response=list[DatasetOut], summary="Every dataset")
def dataset_list(request):
    codes = covered_codes(request)
    return [dataset_out(dataset, codes) for dataset in Dataset.objects.prefetch_related("states")]


@api.get("/{dataset}/", response=DatasetOut, summary="One dataset")
def dataset_detail(request, dataset: str):
    return dataset_out(get_object_or_404(Dataset, slug=dataset), covered_codes(request))


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
        confirmed=table.confirmed,
        deaths=table.deaths,
        not_reported=[row.name for row in table.not_reported],
        counties=[CountyFigures(**record) for record in table_records(table)],
    )


@api.get("/{dataset}/states/{state}/series/", response=SeriesOut, summary="A state's daily totals")
def state_series(request, dataset: str, state: str):
    found = get_object_or_404(Dataset, slug=dataset)
    where = get_object_or_404(State, postal_code=state.upper())
    return SeriesOut(
        dataset=found.slug,
        sample=found.is_sample,
        place=where.name,
        fips=where.fips,
        days=days_out(selectors.state_series_for(found, where)),
    )


@api.get("/{dataset}/counties/{fips}/", response=SeriesOut, summary="A county's daily counts")
def county_series(request, dataset: str, fips: str):
    found = get_object_or_404(Dataset, slug=dataset)
    if not fips.isdigit():
        county = None
    else:
        county = County.objects.select_related("state").filter(pk=int(fips)).first()
    if county is None:
        raise Http404(f"No county with FIPS {fips}.")
    return SeriesOut(
        dataset=found.slug,
        sample=found.is_sample,
        place=f"{county.full_name}, {county.state.name}",
        fips=county.fips,
        days=days_out(selectors.county_series_for(found, county)),
    )
