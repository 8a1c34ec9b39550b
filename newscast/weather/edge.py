"""Weather shown on every news page (the sidebar block, the phones' strip, the warnings banner):
when a refresh changes what they show, the edge's news pages are purged (core/edge.py).

Refreshes run every minute (alerts) and every ten (conditions), and most change nothing a
reader sees; comparing what is shown, not what was fetched, keeps site-wide purges to the
refreshes that matter (docs/decisions/stack-purge-on-publish.md).
"""

import hashlib

from django.core.cache import cache

from newscast.core.edge import purge_site

SHOWN_DIGEST_KEY = "weather:edge:shown"


def purge_if_shown_changed() -> bool:
    """Purge every news page if the weather they show is not what they showed; True if so."""
    from newscast.weather.templatetags.weather_tags import (
        weather_alert_banner,
        weather_strip,
        weather_widget,
    )

    shown = weather_widget() + weather_strip() + weather_alert_banner({})
    digest = hashlib.md5(shown.encode(), usedforsecurity=False).hexdigest()
    if cache.get(SHOWN_DIGEST_KEY) == digest:
        return False
    cache.set(SHOWN_DIGEST_KEY, digest, None)
    purge_site()
    return True
