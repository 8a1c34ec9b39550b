"""Reads of the station itself, for commands and checks that run without a request."""

from __future__ import annotations

from wagtail.models import Site

from newscast.home.models import StationSettings


def station_for_default_site() -> StationSettings | None:
    """The default site's station settings (made with their defaults on first read); None
    before `migrate` has made a site."""
    site = Site.objects.filter(is_default_site=True).first()
    return StationSettings.for_site(site) if site else None


def station_as_dict(station: StationSettings) -> dict:
    """Every setting an operator can set, by the key `newscast station set` takes."""
    values = {field.name: field.value_from_object(station) for field in station_scalar_fields()}
    values["logo"] = station.logo.title if station.logo else None
    values["covered_states"] = station.covered_state_codes()
    values["weather_cities"] = [
        f"{city.name},{city.state},{city.latitude},{city.longitude}"
        for city in station.weather_cities.all()
    ]
    return values


def station_scalar_fields() -> list:
    """The station's own text, number and yes/no fields (not the site, the id or relations)."""
    return [
        field
        for field in StationSettings._meta.concrete_fields
        if field.editable and not field.is_relation and not field.primary_key
    ]
