"""Every admin edit form shows each field once.

A field listed in two panels renders two inputs with the same name; the browser posts both and
Django keeps the last one, so an editor's choice in the first is silently lost (the station
settings once showed the logo twice).
"""

from collections import Counter

import pytest
from django.apps import apps
from wagtail.admin.panels import FieldPanel, InlinePanel, get_edit_handler


def _field_names(panel):
    if isinstance(panel, (FieldPanel, InlinePanel)):
        name = getattr(panel, "field_name", None) or getattr(panel, "relation_name", None)
        yield name
    for child in getattr(panel, "children", ()):
        yield from _field_names(child)


def _edited_models():
    for model in apps.get_models():
        if not model.__module__.startswith("newscast."):
            continue
        if (
            hasattr(model, "panels")
            or hasattr(model, "content_panels")
            or hasattr(model, "edit_handler")
        ):
            yield model


@pytest.mark.parametrize("model", list(_edited_models()), ids=lambda m: m._meta.label)
def test_each_field_is_edited_in_one_place(model):
    handler = get_edit_handler(model)
    counts = Counter(_field_names(handler))
    assert [name for name, seen in counts.items() if seen > 1] == []


def test_station_settings_are_among_the_checked_models():
    # The check above must actually reach the form that once repeated a field.
    assert "core.StationSettings" in {m._meta.label for m in _edited_models()}
