"""Reads of the station itself: the one place that finds "the station settings" for a
request, or for jobs and commands that run without one (the default site's)."""

from __future__ import annotations

from wagtail.models import Site

from newscast.core.models import StationSettings


def station_for_default_site() -> StationSettings | None:
    """The default site's station settings (made with their defaults on first read); None
    before `migrate` has made a site."""
    site = Site.objects.filter(is_default_site=True).first()
    return StationSettings.for_site(site) if site else None


def station_for(request=None) -> StationSettings | None:
    """The station settings of the request's site (cached per request and content version),
    else the default site's: feeds, jobs and template tags without a request use those."""
    if request is not None and Site.find_for_request(request) is not None:
        return StationSettings.for_request(request)
    return station_for_default_site()


def covered_state_codes_for(request=None) -> list[str]:
    """Postal codes of the states the station covers, in the editors' order ([] before a
    site exists)."""
    station = station_for(request)
    return station.covered_state_codes() if station else []


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
