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


def test_warning_banner_appears_links_to_its_text_and_clears_after_the_cancel(
    live_server, browser_page, station
):
    """The drill's recorded Tornado Warning for Lee County: the banner appears on every page
    (the weather page here: a transactional test has no home page), its link opens that
    warning's own text, and after the Cancel the banner is gone."""
    from django.core.management import call_command

    demo.load(io.StringIO())
    call_command("weather_drill", "alert", stdout=io.StringIO())
    page = browser_page
    page.goto(f"{live_server.url}/weather/")
    banner = page.get_by_role("alert")
    assert banner.is_visible() and "Tornado Warning" in banner.inner_text()
    banner.get_by_role("link", name="Details and safety steps").first.click()
    page.wait_for_url("**#alert-*")  # the click may return before the new page has begun
    page.wait_for_load_state()
    anchor = page.evaluate("location.hash").removeprefix("#")
    assert anchor.startswith("alert-")
    target = page.locator(f"article#{anchor}")
    assert target.is_visible()
    text = target.inner_text()
    assert "Tornado Warning" in text and "Lee, MS" in text and "What to do" in text
    assert "Tornado Watch" not in text  # the link opens the warning, not the list's first item
    call_command("weather_drill", "cancel", stdout=io.StringIO())
    page.goto(f"{live_server.url}/weather/")
    assert page.get_by_role("alert").count() == 0
    page.goto(f"{live_server.url}/weather/alerts/")
    assert page.locator(f"article#{anchor}").count() == 0


# Every label's drawn box (the browser's own glyph measures), the map's box, each dot's box,
# and the letters' height in screen pixels.
MAP_LAYOUT = """() => {
  const svg = document.querySelector("svg.tmap");
  const box = (r) => [r.left, r.top, r.right, r.bottom];
  const labels = [...svg.querySelectorAll("text")].map((t) => box(t.getBoundingClientRect()));
  const dots = [...svg.querySelectorAll("circle")].map((c) => box(c.getBoundingClientRect()));
  const text = svg.querySelector("text");
  const fontPx = parseFloat(getComputedStyle(text).fontSize) * svg.getScreenCTM().a;
  return {map: box(svg.getBoundingClientRect()), labels, dots, fontPx};
}"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_temperatures_map_on_a_390px_phone(live_server, chromium_browser, station, artifacts_dir):
    """The demo's 36 sample stations over Mississippi and Alabama at 390 px: no label covers
    another label or a dot, none runs past the map's edge, and the letters are legible."""
    demo.load(io.StringIO())
    context = chromium_browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/weather/temperatures/")
        layout = page.evaluate(MAP_LAYOUT)
        page.locator("svg.tmap").screenshot(path=artifacts_dir / "weather_temperatures_390.png")
        assert page.evaluate(PAGE_OVERFLOW) <= 0
    finally:
        context.close()
    labels, dots, frame = layout["labels"], layout["dots"], layout["map"]
    assert len(dots) == 36 and len(labels) >= 30
    assert layout["fontPx"] >= 11, layout["fontPx"]  # 5 map units drawn about 12.7 px high
    for i, label in enumerate(labels):
        assert frame[0] <= label[0] and label[2] <= frame[2], ("cut off", label, frame)
        assert frame[1] <= label[1] and label[3] <= frame[3], ("cut off", label, frame)
        for other in labels[i + 1 :]:
            assert not _overlap(label, other), (label, other)
        assert [dot for dot in dots if _overlap(label, dot)] == [], label
