"""The data desk's county tables as the downloads, the API and the blocks give them: column
heads, records with rounded rates, the source's credit and the lapsed counties."""

from __future__ import annotations

from django.utils.text import slugify

from newscast.core.models import State
from newscast.datadesk import selectors
from newscast.datadesk.models import Dataset


def table_columns(dataset: Dataset) -> list[tuple[str, str]]:
    return [
        ("county", "County"),
        ("confirmed", dataset.confirmed_short_label),
        ("confirmed_rate", "Per 100k"),
        ("new_cases", "New, 7 days"),
        ("new_cases_rate", "New per 100k"),
        ("deaths", dataset.deaths_short_label),
        ("deaths_rate", "Per 100k"),
    ]


def download_name(dataset: Dataset, state: State, suffix: str) -> str:
    return f"{slugify(dataset.slug)}-{state.postal_code.lower()}{suffix}"


def rounded(value: float | None) -> float | None:
    """A rate to one decimal; 0 stays 0 (no deaths), only None (no population) is missing."""
    return None if value is None else round(value, 1)


def table_records(table) -> list[dict]:
    """The county rows as the downloads and the API give them (widget order)."""
    return [
        {
            "county": row.name,
            "fips": row.fips,
            "unassigned": row.county.is_unassigned,
            "population": row.county.population,
            "confirmed": row.confirmed,
            "deaths": row.deaths,
            "new_cases_7_days": row.new_cases,
            "confirmed_per_100k": rounded(row.confirmed_rate),
            "deaths_per_100k": rounded(row.deaths_rate),
            "revised_down": row.revised_down,
            # New in 7 days below zero: the source revised the count down within the week.
            # Before the table's as-of date when the county did not report that day.
            "reported_on": row.reported_on.isoformat() if row.reported_on else None,
        }
        for row in table.rows
    ]


def source_credit(dataset: Dataset) -> dict:
    """The dataset's source credit as the downloads and the API give it."""
    return {"name": dataset.source_name, "url": dataset.source_link, "terms": dataset.source_terms}


def source_line(dataset: Dataset) -> str:
    """The credit in one CSV cell: "The New York Times, https://..., CC BY-NC 4.0"."""
    parts = [dataset.source_name, dataset.source_link, dataset.source_terms]
    return ", ".join(part for part in parts if part)


def totals_record(totals: selectors.Totals) -> dict:
    return {
        "confirmed": totals.confirmed,
        "deaths": totals.deaths,
        "source": totals.source,
        "as_of": totals.as_of.isoformat() if totals.as_of else None,
    }


def lapsed_records(table) -> list[dict]:
    """Counties left out of the totals, with their last report."""
    return [{"county": row.name, "since": row.reported_on.isoformat()} for row in table.lapsed]
