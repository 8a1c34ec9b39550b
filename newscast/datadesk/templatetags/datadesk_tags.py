"""{% datadesk_widget %}: the sidebar case tables; `per100k`: a rate as the tables print it."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.loader import render_to_string

from newscast.core.selectors import station_for
from newscast.core.versioned_cache import versioned_get, versioned_set
from newscast.datadesk import selectors

register = template.Library()

WIDGET_CACHE_SECONDS = 60 * 60  # the key changes with every load; this only bounds staleness


@register.filter
def per100k(value) -> str:
    """1234.56 -> "1,235"; None -> "–" (no population, such as the Unassigned bucket)."""
    if value is None:
        return "–"
    return intcomma(round(value))


@register.filter
def count(value) -> str:
    """12345 -> "12,345"; None -> "–" (not known, such as new cases without a week before)."""
    if value is None:
        return "–"
    return intcomma(value)


@register.filter
def change(value) -> str:
    """A change in a cumulative count: 12 -> "12"; -3 -> "−3 (revised)" (the source lowered
    the count); None -> "–" (no figure to compare with)."""
    if value is None:
        return "–"
    if value < 0:
        return f"−{intcomma(-value)} (revised)"
    return intcomma(value)


@register.simple_tag(takes_context=True)
def datadesk_widget(context) -> str:
    """Each covered state's table of the sidebar dataset, as on the seed page.

    Cached under the latest successful load, the latest dataset edit and the covered states,
    so once warm a render costs five small queries, whatever the history's length.
    """
    request = context.get("request")
    station = station_for(request)
    if station is None:
        return ""
    codes = station.covered_state_codes()
    key = f"datadesk:widget:{selectors.data_version(request)}:{','.join(codes)}"
    html = versioned_get(key)
    if html is None:
        html = widget_html(codes)
        versioned_set(key, html, WIDGET_CACHE_SECONDS)
    return html


def widget_html(codes: list[str]) -> str:
    dataset = selectors.sidebar_dataset()
    if dataset is None:
        return ""
    tables = [
        table
        for state in selectors.dataset_states(dataset, codes)
        if (table := selectors.state_table_for(dataset, state)).as_of
    ]
    return render_to_string("datadesk/widget.html", {"tables": tables})
