"""Weather shown on every news page (the sidebar block, the phones' strip, the warnings banner):
when a refresh changes what they show, the edge's news pages are purged (core/edge.py).

Refreshes run every minute (alerts) and every ten (conditions), and most change nothing a
reader sees; comparing what is shown, not what was fetched, keeps site-wide purges to the
refreshes that matter (docs/decisions/stack-purge-on-publish.md).
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from newscast.core.edge import purge_site
from newscast.weather import selectors

SHOWN_DIGEST_KEY = "weather:edge:shown"


def purge_if_shown_changed() -> bool:
    """Purge every news page if the weather they show is not what they showed; True if so.

    Drawn here without the widget's cache (pages must draw their own, fresh, after a
    refresh); the banner is represented by the alerts' version, which moves with every change
    to the stored warnings."""
    from newscast.weather.templatetags.weather_tags import _strip_context, _widget_context

    cities = selectors.city_conditions(timezone.now())
    shown = (
        render_to_string("weather/includes/widget.html", _widget_context(cities))
        + render_to_string("weather/includes/strip.html", _strip_context(cities))
        + repr(selectors.alerts_version())
    )
    digest = hashlib.md5(shown.encode(), usedforsecurity=False).hexdigest()
    if cache.get(SHOWN_DIGEST_KEY) == digest:
        return False
    cache.set(SHOWN_DIGEST_KEY, digest, None)
    purge_site()
    return True
