"""The weather pages in chromium on a 375 px phone: readable, no horizontal scroll, axe-clean."""

import io
import json

import pytest
from django.utils import timezone

from conftest import axe_serious_violations
from newscast.weather import demo
from newscast.weather.demo import shift_times
from newscast.weather.nws.parse import parse_alerts
from newscast.weather.services import alerts_apply

from .conftest import recorded_text
from .test_alerts import AT_ALERT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("/weather/", "Weather"),
    ("/weather/alerts/", "Watches and warnings"),
    ("/weather/temperatures/", "Temperatures"),
    ("/weather/radar/", "Radar (KGWX)"),
]
# Wide tables scroll inside their own region; the page itself must not scroll sideways.
PAGE_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_weather_pages_on_a_phone(live_server, phone_page, station, artifacts_dir):
    # One test for the four pages: a transactional test's flush drops the migrations' Site row.
    demo.load(io.StringIO())
    now = timezone.now()
    feed = json.loads(shift_times(recorded_text("alerts_active.json"), now - AT_ALERT))
    alerts_apply(parse_alerts(feed), now=now)
    for path, heading in PAGES:
        response = phone_page.goto(f"{live_server.url}{path}")
        assert response.status == 200
        assert phone_page.get_by_role("heading", name=heading, exact=True, level=1).is_visible()
        assert phone_page.get_by_role("alert").first.is_visible()  # the tornado warning banner
        phone_page.screenshot(
            path=artifacts_dir / f"weather{path.replace('/', '_')}phone.png", full_page=True
        )
        assert phone_page.evaluate(PAGE_OVERFLOW) <= 0, path
        assert axe_serious_violations(phone_page) == [], path
