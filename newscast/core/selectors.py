"""Reads of the station itself: the one place that finds "the station settings" for a
request, or for jobs and commands that run without one (the default site's)."""

from __future__ import annotations

import copy
import hashlib

from wagtail.models import Site

from newscast.core.fragments import versioned_get, versioned_set
from newscast.core.models import StationSettings
from newscast.core.models.content import content_version_for


def site_for_request(request) -> Site | None:
    """The Wagtail site answering the request, its root page loaded as its own type; found
    once per content version (a site or page change moves it) instead of one query a request.

    Set where Wagtail looks (request._wagtail_site), so its routing and settings use it. Each
    request gets its own copies: Wagtail and our routing note things on them.
    """
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    where = f"{request._get_raw_host()}|{request.get_port()}"
    digest = hashlib.md5(where.encode(), usedforsecurity=False).hexdigest()
    key = f"core:site:{content_version_for(request)}:{digest}"
    site = versioned_get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is None:
            return None
        site.root_page = site.root_page.specific
        versioned_set(key, site)
    site = copy.copy(site)
    site.root_page = copy.copy(site.root_page)
    request._wagtail_site = site
    # Where Wagtail looks for every site's root path when it builds a page's URL.
    request._wagtail_cached_site_root_paths = site_root_paths_for(request)
    return site


def site_root_paths_for(request) -> list:
    """Wagtail's list of every site's root path, kept per content version (a site change or
    a page move moves it) instead of read from the shared cache on each request."""
    key = f"core:site-root-paths:{content_version_for(request)}"
    paths = versioned_get(key)
    if paths is None:
        paths = Site.get_site_root_paths()
        versioned_set(key, paths)
    return paths


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
