"""Weather shown on news pages kept at the edge (core/edge.py), renewed when what they show
changes, by a rule that depends on what changed:

- **the warnings banner** (on every news page): a warning that appears, changes or ends purges
  every news page at once (the most read refreshed in place). A tornado warning must reach
  every page within seconds; so must its end.
- **conditions** (the sidebar block of cities and the phones' strip: temperature, sky,
  high/low, feels-like): a change refreshes in place only the most read pages (home, sections,
  feeds; `core.edge.hot_urls`). Stories keep their copy until it expires (EDGE_SECONDS at
  most): every conditions block states the time of its reports ("As of 12:53 PM"), so an older
  copy is still true as of the time it states. Conditions change somewhere at nearly every
  ten-minute refresh; purging 10,000 stories each time would throw the long tail out of the
  edge as often.

Each is compared as pages show it (rendered), not as it was fetched, with its own digest, so a
conditions change never costs a site-wide purge and a refresh that changes nothing a reader
sees sends nothing (docs/decisions/stack-purge-on-publish.md).
"""

from __future__ import annotations

import enum
import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from newscast.core.edge import hot_urls, purge_site, refresh_urls_task
from newscast.core.timefmt import station_zone
from newscast.weather import selectors
from newscast.weather.templatetags.weather_tags import _strip_context, _widget_context

BANNER_DIGEST_KEY = "weather:edge:banner"
CONDITIONS_DIGEST_KEY = "weather:edge:conditions"


class Renewed(enum.Enum):
    """What a weather change renewed at the edge."""

    NOTHING = "nothing"
    HOT_PAGES = "home, sections and feeds"
    EVERY_PAGE = "every news page"


def renew_if_shown_changed() -> Renewed:
    """Renew the edge's news pages whose weather is not what they showed: every page for the
    warnings banner, the most read for conditions."""
    # In the station's zone, as readers' pages draw it (a job has no reader's middleware).
    with timezone.override(station_zone()):
        now = timezone.now()
        banner_changed = _shown_changed(BANNER_DIGEST_KEY, _banner_shown(now))
        conditions_changed = _shown_changed(CONDITIONS_DIGEST_KEY, _conditions_shown(now))
    if banner_changed:
        purge_site()  # refreshes home, sections and feeds in place too: conditions included
        return Renewed.EVERY_PAGE
    if conditions_changed:
        refresh_hot_pages_task.enqueue()
        return Renewed.HOT_PAGES
    return Renewed.NOTHING


@task()
def refresh_hot_pages_task() -> None:
    """In the worker: home, sections and feeds refreshed in place at every nginx (purged at a
    CDN), the URLs worked out there like every other renewal's."""
    refresh_urls_task.call(hot_urls())


def _shown_changed(key: str, shown: str) -> bool:
    """Whether `shown` differs from what was last seen under `key` (then remembered)."""
    digest = hashlib.md5(shown.encode(), usedforsecurity=False).hexdigest()
    if cache.get(key) == digest:
        return False
    cache.set(key, digest, None)
    return True


def _banner_shown(now) -> str:
    """The warnings banner as pages draw it (the clock included: a warning that ended by
    its own expiry is gone from it), read without the pages' cache."""
    alerts = selectors.banner_alerts_uncached(now)
    if not alerts:
        return ""
    return render_to_string("weather/includes/alert_banner.html", {"alerts": alerts})


def _conditions_shown(now) -> str:
    """The sidebar block and the strip as pages draw them, without their cache (pages must
    draw their own, fresh, after a refresh)."""
    cities = selectors.city_conditions(now)
    return render_to_string(
        "weather/includes/widget.html", _widget_context(cities)
    ) + render_to_string("weather/includes/strip.html", _strip_context(cities))
