"""Public pages and downloads of the data desk, under /data/."""

from __future__ import annotations

import csv
import json

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from newscast.core.models import County, State
from newscast.core.selectors import covered_state_codes_for
from newscast.datadesk import selectors, tables
from newscast.datadesk.charts import daily_chart
from newscast.datadesk.maps import county_map
from newscast.datadesk.models import Dataset

SORTS = {
    "county": lambda row: row.name.lower(),
    "confirmed": lambda row: row.confirmed,
    "confirmed_rate": lambda row: row.confirmed_rate or 0,
    "deaths": lambda row: row.deaths or 0,
    "deaths_rate": lambda row: row.deaths_rate or 0,
    "new_cases": lambda row: row.new_cases or 0,
    "new_cases_rate": lambda row: row.new_cases_rate or 0,
}


def state_for(code: str) -> State:
    state = selectors.state_by_code(code)
    if state is None:
        raise Http404(f"No state {code!r}.")
    return state


@require_safe
def data_index(request):
    """/data/: every dataset, with the states it shows and their totals."""
    codes = covered_state_codes_for(request)
    datasets = []
    for dataset in selectors.datasets_with_states():
        tables = [
            selectors.state_table_for(dataset, state)
            for state in selectors.dataset_states(dataset, codes)
        ]
        datasets.append((dataset, tables, selectors.last_good_load(dataset)))
    return render(request, "datadesk/data_index.html", {"datasets": datasets})


@require_safe
def dataset_detail(request, dataset_slug):
    """/data/<dataset>/: the dataset's featured states and a list of every state with data."""
    dataset = get_object_or_404(Dataset, slug=dataset_slug)
    featured = selectors.dataset_states(dataset, covered_state_codes_for(request))
    states = selectors.states_with_data(dataset)
    context = {
        "dataset": dataset,
        "tables": [selectors.state_table_for(dataset, state) for state in featured],
        "states": states,
        "last_load": selectors.last_good_load(dataset),
    }
    return render(request, "datadesk/dataset_detail.html", context)


def sorted_rows(request, rows):
    """The table's rows sorted by ?sort= and ?order=, or in the widget's order by default."""
    sort = request.GET.get("sort", "")
    if sort not in SORTS:
        return rows, "", ""
    order = "asc" if request.GET.get("order") == "asc" else "desc"
    ordered = sorted(rows, key=SORTS[sort], reverse=order == "desc")
    return ordered, sort, order


@require_safe
def state_detail(request, dataset_slug, state_code):
    """A state's page: totals, the county table (sortable), the chart and the map."""
    dataset = get_object_or_404(Dataset, slug=dataset_slug)
    state = state_for(state_code)
    table = selectors.state_table_for(dataset, state)
    if table.as_of is None:
        raise Http404(f"No {dataset} figures for {state}.")
    series = selectors.state_series_for(dataset, state)
    rows, sort, order = sorted_rows(request, table.rows)
    rates = {row.fips: (row.name, row.confirmed_rate) for row in table.rows}
    context = {
        "dataset": dataset,
        "state": state,
        "table": table,
        "rows": rows,
        "sort": sort,
        "order": order,
        "columns": tables.table_columns(dataset),
        "chart": daily_chart(series, state.name, dataset.confirmed_label, chart_id="state-chart"),
        "map": county_map(state, rates, map_id="state-map"),
        "last_load": selectors.last_good_load(dataset),
    }
    return render(request, "datadesk/state_detail.html", context)


@require_safe
def county_detail(request, dataset_slug, state_code, fips):
    """A county's page: its latest figures and its own chart."""
    dataset = get_object_or_404(Dataset, slug=dataset_slug)
    state = state_for(state_code)
    county = get_object_or_404(County, pk=int(fips), state=state)
    series = selectors.county_series_for(dataset, county)
    if not series:
        raise Http404(f"No {dataset} figures for {county}.")
    latest = series[-1]  # a calendar series ends on the county's last report
    state_day = selectors.state_as_of(dataset, state)
    row = selectors.CountyRow(
        county=county,
        confirmed=latest.confirmed,
        deaths=latest.deaths,
        new_cases=selectors.week_change(series),
    )
    context = {
        "dataset": dataset,
        "state": state,
        "county": county,
        "row": row,
        "as_of": latest.date,
        "lapsed": state_day and (state_day - latest.date).days > dataset.carry_forward_days,
        "chart": daily_chart(
            series,
            f"{county.full_name}, {state.name}",
            dataset.confirmed_label,
            chart_id="county-chart",
        ),
        "last_load": selectors.last_good_load(dataset),
    }
    return render(request, "datadesk/county_detail.html", context)


@require_safe
def state_download(request, dataset_slug, state_code, extension):
    """The state's county table as CSV or JSON."""
    dataset = get_object_or_404(Dataset, slug=dataset_slug)
    state = state_for(state_code)
    table = selectors.state_table_for(dataset, state)
    records = tables.table_records(table)
    filename = tables.download_name(dataset, state, f".{extension}")
    if extension == "json":
        body = {
            "dataset": dataset.slug,
            "sample": dataset.is_sample,
            "source": tables.source_credit(dataset),
            "state": state.postal_code,
            "as_of": table.as_of.isoformat() if table.as_of else None,
            "confirmed": table.confirmed,
            "deaths": table.deaths,
            "totals": tables.totals_record(table.totals),
            "not_reported": [row.name for row in table.not_reported],
            "not_reported_since": tables.lapsed_records(table),
            "counties": records,
        }
        response = HttpResponse(json.dumps(body, indent=1), content_type="application/json")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        # Every line says whether the figures are sample data and whose they are, as the
        # JSON's "sample" and "source" do: a row copied into a spreadsheet keeps its credit.
        credit = tables.source_line(dataset)
        head = ["as_of", "sample", "source", *(records[0].keys() if records else ["county"])]
        writer.writerow(head)
        for record in records:
            writer.writerow([table.as_of, dataset.is_sample, credit, *record.values()])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


@require_safe
def state_history_download(request, dataset_slug, state_code):
    """Every stored day of every county in the state, as CSV (streamed)."""
    dataset = get_object_or_404(Dataset, slug=dataset_slug)
    state = state_for(state_code)
    rows = (
        selectors.visible_days(dataset, state=state)
        .order_by("date", "county_id")
        .values_list("date", "county__name", "county_id", "confirmed", "deaths", "revised_down")
    )
    writer = csv.writer(Echo())
    header = ["date", "county", "fips", "confirmed", "deaths", "revised_down", "sample", "source"]
    credit, sample = tables.source_line(dataset), dataset.is_sample

    def lines():
        yield writer.writerow(header)
        for day, name, county_id, confirmed, deaths, revised in rows.iterator(5000):
            yield writer.writerow(
                [day, name, f"{county_id:05d}", confirmed, deaths, revised, sample, credit]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = tables.download_name(dataset, state, "-history.csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
