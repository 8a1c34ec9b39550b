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
sees sends nothing (docs/decisions/stack-purge-on-publish.md). The digests are kept in the
database (`EdgeDigest`), not the cache, so a Redis outage or eviction cannot make every
refresh look like a change.
"""

from __future__ import annotations

import enum
import hashlib

from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from newscast.core.edge import hot_urls, purge_site, refresh_urls_task
from newscast.core.timefmt import station_zone
from newscast.weather import selectors
from newscast.weather.models import EdgeDigest
from newscast.weather.templatetags.weather_tags import _strip_context, _widget_context


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
        banner_changed = _shown_changed(EdgeDigest.Part.BANNER, _banner_shown(now), now)
        conditions_changed = _shown_changed(EdgeDigest.Part.CONDITIONS, _conditions_shown(now), now)
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


def _shown_changed(part: EdgeDigest.Part, shown: str, now) -> bool:
    """Whether `shown` differs from what pages last showed of `part` (then remembered).

    Compared and replaced in one conditional UPDATE: of two jobs that see the same change at
    once, the second's UPDATE (after the first's commit, on the same row) finds the digest
    already new and renews nothing. No row yet (a new database) means what pages show is
    unknown: renew."""
    digest = hashlib.md5(shown.encode(), usedforsecurity=False).hexdigest()
    other = EdgeDigest.objects.filter(part=part).exclude(digest=digest)
    if other.update(digest=digest, changed_at=now):
        return True
    row, created = EdgeDigest.objects.get_or_create(
        part=part, defaults={"digest": digest, "changed_at": now}
    )
    if created or row.digest == digest:
        return created
    # Another job created the row in between, from another rendering: replace it as above.
    return bool(other.update(digest=digest, changed_at=now))


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
