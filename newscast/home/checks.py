"""`newscast check --deploy`: what a broadcaster must publish before the site goes live."""

from __future__ import annotations

from django.core.checks import Warning, register
from django.db import DatabaseError

PUBLIC_FILE_MISSING = "newscast.W130"
CAPTIONING_CONTACTS_MISSING = "newscast.W131"


@register("newscast", deploy=True)
def broadcaster_links_check(app_configs=None, databases=None, **kwargs):
    """Warn when a site's station settings lack the FCC public file link (47 CFR 73.3526)
    or the closed-captioning contacts (47 CFR 79.1(i)) that every page must show."""
    from wagtail.models import Site

    from newscast.home.models import StationSettings

    try:
        sites = list(Site.objects.all())
        # Not for_site(): it creates a missing row, and a check only reads.
        stations = {row.site_id: row for row in StationSettings.objects.all()}
    except DatabaseError:
        return []  # no tables yet (before migrate): nothing published to check
    problems = []
    for site in sites:
        station = stations.get(site.pk) or StationSettings(site=site)
        if not station.fcc_public_file_url:
            problems.append(
                Warning(
                    f"{site}: no FCC online public file link; broadcasters must link it from "
                    "their home page (47 CFR 73.3526(b)(2)).",
                    hint="Admin > Settings > Station settings > FCC online public file.",
                    id=PUBLIC_FILE_MISSING,
                )
            )
        missing = station.captioning_contacts_missing()
        if missing:
            problems.append(
                Warning(
                    f"{site}: closed-captioning contacts incomplete: {'; '.join(missing)} "
                    "(47 CFR 79.1(i)).",
                    hint="Admin > Settings > Station settings > Closed captioning.",
                    id=CAPTIONING_CONTACTS_MISSING,
                )
            )
    return problems
