"""The board, the header mark, the RSS feed and the JSON API: grouped, counted, current."""

import json
import re
from datetime import date
from xml.etree import ElementTree

import pytest

from newscast.closings.models import Via
from newscast.closings.services import StatusRequest, status_remove, status_set

pytestmark = pytest.mark.django_db
TODAY, TOMORROW = date(2026, 1, 13), date(2026, 1, 14)


def _set(org, kind, day=TOMORROW, delay=None, note=""):
    return status_set(StatusRequest(org, day, kind, delay, note), via=Via.ADMIN)


@pytest.fixture
def storm(organizations, storm_clock):
    _set(organizations["PON-1"], "closed")
    _set(organizations["LEE-2"], "delayed", delay=120, note="Buses late")
    _set(organizations["LEE-1"], "closed", note="<b>Snow</b>")
    _set(organizations["UNI-1"], "open")
    _set(organizations["LEE-1"], "early_dismissal", day=TODAY)
    return organizations


def _text(html: str) -> str:
    return " ".join(html.split())


def _words(html: str) -> str:
    """What a reader reads: the page without its tags."""
    return _text(re.sub(r"<[^>]+>", " ", html)).replace(" )", ")").replace("( ", "(")


def test_board_groups_by_county_then_name_with_counts(client, storm):
    html = client.get("/closings/").content.decode()
    assert "&lt;b&gt;" not in html and "<b>Snow" not in html
    page = _words(html)
    assert "4 closings and delays today and tomorrow" in page
    assert "Today, Tuesday, Jan 13 (1 closing and delay)" in page
    assert "Tomorrow, Wednesday, Jan 14 (3 closings and delays)" in page
    tomorrow = page[page.index("Tomorrow, Wednesday") :]
    order = [tomorrow.index(x) for x in (
        "Lee County, MS (2)", "Acorn Valley Schools", "Delayed 2 hours", "Zion Hill Academy",
        "Pontotoc County, MS (1)", "Twin Oaks Schools", "Union County, MS (0)", "Cedar Works",
        "Open / normal schedule",
    )]  # fmt: skip
    assert order == sorted(order)
    assert "Last updated Jan 13, 2026 7:30 PM" in page


def test_board_filters_by_name_county_and_kind(client, storm):
    by_name = _text(client.get("/closings/", {"q": "acorn"}).content.decode())
    assert "Acorn Valley Schools" in by_name and "Twin Oaks Schools" not in by_name
    by_county = _text(client.get("/closings/", {"county": "28115"}).content.decode())
    assert "Twin Oaks Schools" in by_county and "Acorn Valley" not in by_county
    by_kind = _text(client.get("/closings/", {"kind": "business"}).content.decode())
    assert "Cedar Works" in by_kind and "Zion Hill" not in by_kind
    # Values not on the board are ignored rather than failing.
    assert client.get("/closings/", {"county": "x", "kind": "<script>"}).status_code == 200


def test_a_change_shows_on_the_next_request(client, storm):
    assert "Twin Oaks Schools" in client.get("/closings/").content.decode()
    status_remove(storm["PON-1"], TOMORROW, via=Via.ADMIN)
    page = client.get("/closings/").content.decode()
    assert "Twin Oaks Schools" not in page
    assert "3 closings and delays" in _text(page)


def test_the_header_mark_shows_on_every_page_only_while_statuses_are_active(client, home, storm):
    for path in ("/", "/weather/", "/closings/"):
        page = _text(client.get(path).content.decode())
        assert '<a class="closings-mark" href="/closings/">4 closings and delays</a>' in page, path
    home = _text(client.get("/").content.decode())
    assert "closings-box" in home
    for org, day in [
        ("PON-1", TOMORROW),
        ("LEE-2", TOMORROW),
        ("LEE-1", TOMORROW),
        ("LEE-1", TODAY),
    ]:
        status_remove(storm[org], day, via=Via.ADMIN)
    assert "closings-mark" not in client.get("/").content.decode()  # only "open" is left


def test_json_api_lists_today_and_tomorrow(client, storm):
    response = client.get("/api/v1/closings/")
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["counted"] == 4
    assert [day["date"] for day in data["days"]] == ["2026-01-13", "2026-01-14"]
    lee2 = next(
        s for s in data["days"][1]["statuses"] if s["organization"] == "Acorn Valley Schools"
    )
    assert lee2 | {"updated_at": None} == {
        "organization": "Acorn Valley Schools", "organization_kind": "public_schools",
        "county": "Lee", "state": "MS", "status": "delayed", "status_text": "Delayed 2 hours",
        "delay_minutes": 120, "note": "Buses late", "updated_at": None, "sample": False,
    }  # fmt: skip


def test_rss_has_an_item_per_status_and_a_new_guid_per_change(client, storm):
    def items():
        root = ElementTree.fromstring(client.get("/closings/rss/").content)
        return {i.findtext("title"): i.findtext("guid") for i in root.iter("item")}

    first = items()
    assert len(first) == 5
    assert "Zion Hill Academy: Closed (Jan 14, 2026)" in first
    storm_guid = first["Acorn Valley Schools: Delayed 2 hours (Jan 14, 2026)"]
    _set(storm["LEE-2"], "delayed", delay=180)
    second = items()
    assert second["Acorn Valley Schools: Delayed 3 hours (Jan 14, 2026)"] != storm_guid


def test_an_empty_board_says_so(client, station, storm_clock):
    page = client.get("/closings/").content.decode()
    assert "Nothing reported yet." in page
    assert "No closings or delays reported for this day." in page
