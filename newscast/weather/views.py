"""The weather pages. They read what the jobs stored; none calls the NWS, and any failure to
read is shown as "not available" rather than an error page."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from newscast.core.selectors import station_for_default_site
from newscast.weather import selectors
from newscast.weather.maps import temperature_map
from newscast.weather.nws.urls import radar_page_url


@require_GET
def index(request):
    now = timezone.now()
    cities = selectors.city_conditions(now, with_forecast=True)
    return render(
        request,
        "weather/index.html",
        {"cities": cities, "is_sample": any(c.is_sample for c in cities), "now": now},
    )


@require_GET
def radar(request):
    """One radar loop: `?site=KNQA` picks one of the offered sites (the station's and each
    city's own); anything else shows the first."""
    sites = selectors.radar_sites()
    offered = [site for site, _ in sites]
    asked = request.GET.get("site", "").strip().upper()
    site = asked if asked in offered else (offered[0] if offered else "")
    return render(
        request,
        "weather/radar.html",
        {
            "site": site,
            "sites": sites,
            "loop": selectors.radar_loop(site) if site else None,
            "nws_radar_url": radar_page_url(site) if site else "",
        },
    )


@require_GET
@cache_control(public=True, max_age=60)
def radar_image(request, site):
    """Our last good copy of the radar loop (pages never hot-link the NWS)."""
    loop = selectors.radar_loop_with_image(site)
    if loop is None or not loop.image:
        raise Http404("No radar loop has been fetched for this site yet.")
    response = HttpResponse(bytes(loop.image), content_type=loop.content_type or "image/gif")
    if loop.last_modified:
        response["Last-Modified"] = loop.last_modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response


def _map_cached(states: list[str], current) -> object:
    """Placing 350 stations' labels takes about a quarter of a second; the placement is kept
    until a report, the station list's states or the cities' stations change."""
    first = selectors.city_station_ids()
    version = hashlib.sha256(
        repr(
            (states, first, sorted((r.station_id, r.observed_at, r.temperature_f) for r in current))
        ).encode()
    ).hexdigest()[:32]
    key = f"weather:tmap:{version}"
    placed = cache.get(key)
    if placed is None:
        placed = temperature_map(states, current, first=first)
        cache.set(key, placed, 15 * 60)
    return placed


@require_GET
def temperatures(request):
    now = timezone.now()
    station = station_for_default_site()
    states = station.covered_state_codes() if station else []
    current, stale = selectors.station_reports_for_map(now)
    return render(
        request,
        "weather/temperatures.html",
        {
            "map": _map_cached(states, current),
            "reports": sorted(current, key=lambda r: r.name),
            "stale": stale,
            "is_sample": any(r.is_sample for r in current),
            "latest": max((r.observed_at for r in current), default=None),
        },
    )


@require_GET
def alerts(request):
    now = timezone.now()
    active = selectors.alert_list_active(now)
    station = station_for_default_site()
    return render(
        request,
        "weather/alerts.html",
        {
            "ours": active.ours,
            "elsewhere": active.elsewhere,
            "states": station.covered_state_codes() if station else [],
            "checked_at": selectors.last_alert_check(),
            "is_sample": any(a.is_sample for a in active.all),
        },
    )
