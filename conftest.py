"""Project-wide pytest set-up shared by every desk's tests."""

import pytest


@pytest.fixture
def station(db):
    """The default site's station settings, filled like the demo station (Tupelo, MS)."""
    import io

    from wagtail.models import Site

    from newscast.home import demo
    from newscast.home.models import StationSettings

    demo.load(io.StringIO())
    return StationSettings.for_site(Site.objects.get(is_default_site=True))
