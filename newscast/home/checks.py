"""`newscast check --deploy`: what a launch still lacks, each as a warning with its fix.

Django's own deploy checks cover settings (HTTPS, cookies, the secret key); these cover the
station: a site with no covered states, weather cities, logo or editors runs, but empty; and
what a broadcaster must publish before the site goes live (public file, captioning contacts).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.checks import Warning, register
from django.db import DatabaseError
from wagtail.models import Site

from newscast.core.models import StationSettings
from newscast.core.selectors import station_for_default_site

EDITORS_GROUP = "Editors"


@register("station", deploy=True)
def launch_checklist(app_configs=None, **kwargs) -> list[Warning]:
    """The station's launch checklist (docs/launch.md)."""
    try:
        station = station_for_default_site()
        editors = get_user_model().objects.filter(groups__name=EDITORS_GROUP, is_active=True)
        has_editors = editors.exists()
    except DatabaseError as exc:
        return [
            Warning(
                f"The station's settings cannot be read ({exc}).",
                hint="Create the database and run `newscast migrate`.",
                id="newscast.W000",
            )
        ]
    if station is None:
        return [Warning("No site yet.", hint="Run `newscast migrate`.", id="newscast.W000")]
    return [warning for warning in _station_warnings(station, has_editors) if warning]


def _station_warnings(station, has_editors: bool) -> list[Warning | None]:
    return [
        None
        if station.covered_states.exists()
        else Warning(
            "No covered states: the data tables show no counties and no alerts are shown.",
            hint="newscast station set covered_states MS,AL (postal codes, in the order shown)",
            id="newscast.W001",
        ),
        None
        if station.weather_cities.exists()
        else Warning(
            "No weather cities: the weather block and /weather/ are empty.",
            hint='newscast station set weather_cities "Tupelo,MS,34.2576,-88.7034;..."',
            id="newscast.W002",
        ),
        None
        if station.logo_id
        else Warning(
            "No station logo: the header shows the call sign as text.",
            hint="newscast station set logo /path/to/logo.png (or Settings > Station settings)",
            id="newscast.W003",
        ),
        None
        if has_editors
        else Warning(
            "No editors: no active account in the Editors group can publish.",
            hint="newscast createsuperuser, then add editors in Settings > Users with the "
            "Editors group (roles: docs/launch.md)",
            id="newscast.W004",
        ),
    ]


PUBLIC_FILE_MISSING = "newscast.W130"
CAPTIONING_CONTACTS_MISSING = "newscast.W131"


@register("newscast", deploy=True)
def broadcaster_links_check(app_configs=None, databases=None, **kwargs):
    """Warn when a site's station settings lack the FCC public file link (47 CFR 73.3526)
    or the closed-captioning contacts (47 CFR 79.1(i)) that every page must show."""
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
