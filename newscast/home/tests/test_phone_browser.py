"""The whole demo station on a 390 x 844 phone, in chromium: the warning and a compact weather
strip come before the stories, the section menu is reachable, and no page, map or table runs
past the screen's edge (wide tables scroll inside their region, with a visible cue).

One test, so the demo station loads once; screenshots go to test-artifacts/ (not committed).
"""

import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command

from newscast.news.models import StoryPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A weekday evening in January, fixed so the schedule, data dates and weather are the same at
# any hour the suite runs (the demo's weather and stories are placed relative to "now").
PHONE_CLOCK = datetime(2026, 1, 13, 1, 30, tzinfo=UTC)
PHONE = {"width": 390, "height": 844}

# Elements whose box runs past the screen's left or right edge, leaving out what is hidden
# (1 px boxes, parked off screen like the skip link) and what sits in a region that scrolls
# sideways (a wide table keeps every column there and is checked on its own below).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const inScroller = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (scrolls(a)) return true;
    }
    return false;
  };
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || box.right <= 0) continue;
    if (box.left >= -0.5 && box.right <= width + 0.5) continue;
    if (inScroller(el)) continue;
    const edges = `${Math.round(box.left)}..${Math.round(box.right)}`;
    found.push(`${el.tagName.toLowerCase()}.${el.className} ${edges}`);
  }
  return found;
}"""

# Every table: wide ones must sit in a scrolling region that fits the screen, show the cue,
# and bring the last column fully on screen when scrolled to the end.
TABLES = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("table")].filter((t) => t.offsetParent).map((table) => {
    let region = table.parentElement;
    while (region && !["auto", "scroll"].includes(getComputedStyle(region).overflowX)) {
      region = region.parentElement;
    }
    const wide = table.getBoundingClientRect().right > width + 0.5 ||
      (region && region.scrollWidth > region.clientWidth + 1);
    const result = {wide, region: !!region, cue: false, lastColumnShown: true,
      name: (table.caption && table.caption.innerText.slice(0, 40)) || table.className};
    if (!wide) return result;
    const cue = region && region.previousElementSibling;
    result.cue = !!(cue && cue.classList.contains("scroll-cue") && !cue.hidden && cue.offsetHeight);
    region.scrollLeft = region.scrollWidth;
    const cells = table.querySelector("tr").children;
    const last = cells[cells.length - 1].getBoundingClientRect();
    result.lastColumnShown = last.right <= width + 0.5 && last.left >= 0;
    region.scrollLeft = 0;
    return result;
  });
}"""


@pytest.fixture
def demo_station(station, settings, tmp_path):
    """Every desk's demo (the same loaders as `newscast demo`), plus a closings evening and
    a warning in force."""
    from newscast.core.geography.reference import geography_ensure, places

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEDIA_URL = "/media/"
    geography_ensure()  # a transactional test's flush emptied the reference tables
    places.cache_clear()
    with time_machine.travel(PHONE_CLOCK, tick=True):
        for desk in ("news", "datadesk", "weather", "closings"):
            __import__(f"newscast.{desk}.demo", fromlist=["load"]).load(io.StringIO())
        call_command("closings_drill", stdout=io.StringIO())
        call_command("weather_drill", "alert", stdout=io.StringIO())  # a Tornado Warning
        yield


@pytest.fixture
def phone(chromium_browser):
    context = chromium_browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


def top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def test_the_station_on_a_390px_phone(live_server, phone, demo_station, artifacts_dir):
    story = StoryPage.objects.live().order_by("-posted_at").first()
    pages = {
        "home": "/",
        "section": "/local/",
        "story": story.url,
        "author": "/authors/dana-whitfield/",
        "weather-temperatures": "/weather/temperatures/",
        "data-state": "/data/coronavirus/ms/",
        "data-county": "/data/coronavirus/ms/28081/",
        "closings": "/closings/",
    }
    for name, path in pages.items():
        assert phone.goto(f"{live_server.url}{path}").status == 200, path
        phone.screenshot(path=artifacts_dir / f"phone-390-{name}.png", full_page=True)
        assert phone.evaluate(OVERFLOWING) == [], path
        for table in phone.evaluate(TABLES):
            if table["wide"]:
                assert table["region"] and table["cue"], (path, table)
                assert table["lastColumnShown"], (path, table)

    for path in ("/", "/local/"):
        phone.goto(f"{live_server.url}{path}")
        assert phone.locator(".weather-strip").is_visible(), path
        assert "Tupelo" in phone.locator(".weather-strip").inner_text()
        assert top(phone, ".weather-banner") < top(phone, ".weather-strip"), path
        assert top(phone, ".weather-strip") < top(phone, ".story-card"), path
        assert top(phone, ".story-card") < top(phone, ".weather-widget"), path

    # Every section link can be brought on screen and followed.
    links = phone.locator(".site-nav a")
    for index in range(links.count()):
        link = links.nth(index)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], link.inner_text()
    phone.locator(".site-nav a", has_text="Data").click()
    phone.wait_for_url("**/data/")
