"""The alerts stream: Alert -> Update -> Cancel applied by references; the site-wide banner."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from newscast.weather.alerts import MessageRef, county_same, message_states, touches
from newscast.weather.demo import shift_times
from newscast.weather.models import AlertMessage, CityWeather
from newscast.weather.nws.parse import parse_alerts
from newscast.weather.selectors import alert_list_active, banner_alerts
from newscast.weather.services import alerts_apply, alerts_refresh
from newscast.weather.services.alerts import AlertsError

from .conftest import GEOJSON, PROBLEM, recorded, recorded_text

pytestmark = pytest.mark.django_db

# The recorded alert scenario (CDT evening of 15 Oct 2025), in UTC.
AT_ALERT = datetime(2025, 10, 16, 0, 50, tzinfo=UTC)  # 19:50 CDT
AT_UPDATE = datetime(2025, 10, 16, 1, 8, tzinfo=UTC)  # 20:08
AT_CANCEL = datetime(2025, 10, 16, 1, 23, tzinfo=UTC)  # 20:23
AT_EMPTY = datetime(2025, 10, 16, 4, 5, tzinfo=UTC)  # 23:05


def test_update_takes_its_counties_and_cancel_strikes_counties():
    """The two segments of one follow-up product: an Update for Lee, a Cancel for Pontotoc."""
    t0 = AT_ALERT
    alert = MessageRef("a", "Alert", t0, ("MSC081", "MSC115"))
    update = MessageRef("u", "Update", t0 + timedelta(minutes=18), ("MSC081",), ("a",))
    cancel = MessageRef("c1", "Cancel", t0 + timedelta(minutes=18), ("MSC115",), ("a",))
    states = message_states([alert, update, cancel])
    assert states["a"].over and not states["a"].in_force
    assert states["u"].in_force
    assert not states["c1"].in_force  # a Cancel is never shown as a hazard
    states = message_states([alert, cancel])
    assert states["a"].in_force and states["a"].struck_ugc == ("MSC115",)
    # The Update segment alone: Pontotoc stays with the Alert until its own segment comes.
    states = message_states([alert, update])
    assert states["a"].in_force and states["a"].struck_ugc == ("MSC081",)


def test_covered_by_ugc_or_same():
    assert county_same("MSC081") == "028081"
    assert touches(["MSC081"], [], {"MSC081"})
    assert touches([], ["028081"], {"MSC081"})
    assert not touches(["MSC115"], ["028115"], {"MSC081", "MSZ020"})


@pytest.fixture
def tupelo_resolved(station):
    """Tupelo's county and zone, as a refresh would have stored them."""
    city = station.weather_cities.get(name="Tupelo")
    CityWeather.objects.create(city=city, county="MSC081", forecast_zone="MSZ020")
    return city


def _apply(name, now):
    return alerts_apply(parse_alerts(recorded(name)), now=now)


def test_tornado_warning_lifecycle_banner_up_then_down(tupelo_resolved, client):
    _apply("alerts_active.json", AT_ALERT)
    banner = banner_alerts(AT_ALERT)
    assert [a["event"] for a in banner] == ["Tornado Warning"]
    _apply("alerts_active_update.json", AT_UPDATE)
    live = {(a.event, a.message_type) for a in alert_list_active(AT_UPDATE).all}
    assert ("Tornado Warning", "Update") in live and ("Tornado Warning", "Alert") not in live
    banner = banner_alerts(AT_UPDATE)
    assert [a["area_desc"] for a in banner] == ["Lee, MS"]

    _apply("alerts_active_cancel.json", AT_CANCEL)
    assert banner_alerts(AT_CANCEL) == []
    events = [a.event for a in alert_list_active(AT_CANCEL).all]
    assert "Tornado Warning" not in events and "Special Weather Statement" not in events
    assert events.count("Tornado Watch") == 2

    _apply("alerts_active_empty.json", AT_EMPTY)
    assert alert_list_active(AT_EMPTY).all == []  # the watches ended at 23:00


def test_warning_dropping_out_of_feed_stays_until_it_ends(tupelo_resolved):
    _apply("alerts_active.json", AT_ALERT)
    _apply("alerts_active_empty.json", AT_ALERT + timedelta(minutes=2))
    assert banner_alerts(AT_ALERT + timedelta(minutes=2))
    assert banner_alerts(datetime(2025, 10, 16, 1, 31, tzinfo=UTC)) == []  # after 20:30 CDT


def test_warning_outside_covered_counties_raises_no_banner(station):
    CityWeather.objects.create(
        city=station.weather_cities.get(name="Oxford"), county="MSC071", forecast_zone="MSZ012"
    )
    _apply("alerts_active.json", AT_ALERT)
    assert banner_alerts(AT_ALERT) == []
    assert any(a.event == "Tornado Warning" for a in alert_list_active(AT_ALERT).all)


def test_test_and_exercise_messages_are_ignored(tupelo_resolved):
    feed = recorded("alerts_active.json")
    for feature in feed["features"]:
        feature["properties"]["status"] = "Test"
    alerts_apply(parse_alerts(feed), now=AT_ALERT)
    assert not AlertMessage.objects.exists()


def test_real_outbreak_feeds_in_sequence():
    _apply(
        "alerts_active_area_OK_2025-04-19_2242CDT.json", datetime(2025, 4, 20, 3, 43, tzinfo=UTC)
    )
    later = datetime(2025, 4, 20, 4, 25, tzinfo=UTC)
    _apply("alerts_active_area_OK_2025-04-19_2324CDT.json", later)
    live_ids = {a.message_id for a in alert_list_active(later).all}
    superseded = set(
        AlertMessage.objects.filter(superseded=True).values_list("message_id", flat=True)
    )
    assert superseded and not (live_ids & superseded)


def test_refresh_through_the_client_and_outage_keeps_alerts(tupelo_resolved, nws, client):
    query = {"status": "actual", "area": "MS,AL"}
    nws.expect_oneshot_request("/alerts/active", query_string=query).respond_with_data(
        recorded_text("alerts_active.json"), content_type=GEOJSON
    )
    summary = alerts_refresh(now=AT_ALERT)
    assert "4 messages" in summary
    nws.expect_request("/alerts/active", query_string=query).respond_with_data(
        recorded_text("errors/503_unavailable_resource.json"), status=503, content_type=PROBLEM
    )
    with pytest.raises(AlertsError):
        alerts_refresh(now=AT_ALERT + timedelta(minutes=2))
    assert [a["event"] for a in banner_alerts(AT_ALERT + timedelta(minutes=2))] == [
        "Tornado Warning"
    ]


def test_banner_tag_on_pages(tupelo_resolved, client, settings):
    from django.template import Context, Template
    from django.utils import timezone

    now = timezone.now()
    feed = recorded("alerts_active.json")
    tornado = next(f for f in feed["features"] if f["properties"]["event"] == "Tornado Warning")
    tornado["properties"]["expires"] = tornado["properties"]["ends"] = (
        now + timedelta(minutes=30)
    ).isoformat()
    alerts_apply(parse_alerts({"features": [tornado]}), now=now)
    html = Template("{% load weather_tags %}{% weather_alert_banner %}").render(Context({}))
    assert "Tornado Warning" in html and 'role="alert"' in html
    cancel = json.loads(json.dumps(tornado))
    cancel["properties"].update(
        id="urn:test:cancel",
        messageType="Cancel",
        references=[{"identifier": tornado["properties"]["id"]}],
    )
    alerts_apply(parse_alerts({"features": [cancel]}), now=now)
    html = Template("{% load weather_tags %}{% weather_alert_banner %}").render(Context({}))
    assert html == ""


def test_alerts_page_shows_event_areas_times_and_instructions(tupelo_resolved, client):
    from django.utils import timezone

    now = timezone.now()
    feed = json.loads(shift_times(recorded_text("alerts_active.json"), now - AT_ALERT))
    alerts_apply(parse_alerts(feed), now=now)
    page = client.get(reverse("weather:alerts")).content.decode()
    assert page.index("Tornado Warning") < page.index("Tornado Watch")  # most dangerous first
    assert "Lee, MS; Pontotoc, MS" in page
    assert "What to do" in page


def test_drill_command_raises_and_lowers_the_sample_banner(tupelo_resolved):
    import io

    from django.core.management import call_command
    from django.template import Context, Template
    from django.utils import timezone

    banner = Template("{% load weather_tags %}{% weather_alert_banner %}")
    call_command("weather_drill", "alert", stdout=io.StringIO())
    html = banner.render(Context({}))
    assert "Tornado Warning" in html and "Sample data" in html
    call_command("weather_drill", "update", stdout=io.StringIO())
    assert "Lee, MS" in banner.render(Context({}))
    call_command("weather_drill", "cancel", stdout=io.StringIO())
    assert banner.render(Context({})) == ""
    assert alert_list_active(timezone.now()).all  # the watches continue
    call_command("weather_drill", "clear", stdout=io.StringIO())
    assert not AlertMessage.objects.exists()


def test_areas_in_force_leave_out_cancelled_counties():
    from newscast.weather.alerts import areas_left, same_left

    ugc = ["MSC081", "MSC115"]
    assert areas_left("Lee, MS; Pontotoc, MS", ugc, ["MSC081"]) == "Pontotoc, MS"
    assert areas_left("Lee, MS; Pontotoc, MS", ugc, []) == "Lee, MS; Pontotoc, MS"
    # Names that cannot be matched to codes: the codes in force are named instead.
    assert areas_left("Northeast Mississippi", ugc, ["MSC115"]) == "MSC081"
    assert same_left(["028081", "028115"], ["MSC081"]) == ["028115"]


def test_cancel_of_a_covered_county_lowers_the_banner_and_the_areas(tupelo_resolved, client):
    """Alert for Lee and Pontotoc, then a Cancel of Lee without the Update in between: what is
    left is a Pontotoc warning, outside the covered counties (by UGC and by SAME code)."""
    _apply("alerts_active.json", AT_ALERT)
    _apply("alerts_active_cancel.json", AT_CANCEL)
    assert banner_alerts(AT_CANCEL) == []
    warning = next(a for a in alert_list_active(AT_CANCEL).all if a.event == "Tornado Warning")
    assert warning.areas_in_force == "Pontotoc, MS"
    assert not warning.touches_covered


def test_drill_alert_then_cancel_lowers_the_banner(tupelo_resolved, client):
    import io

    from django.core.management import call_command
    from django.template import Context, Template

    banner = Template("{% load weather_tags %}{% weather_alert_banner %}")
    call_command("weather_drill", "alert", stdout=io.StringIO())
    assert "Lee, MS; Pontotoc, MS" in banner.render(Context({}))
    call_command("weather_drill", "cancel", stdout=io.StringIO())
    assert banner.render(Context({})) == ""
    page = client.get(reverse("weather:alerts")).content.decode()
    assert "Tornado Warning" not in page and "Tornado Watch" in page


def test_banner_follows_a_change_made_by_another_process(tupelo_resolved):
    """Another process (worker, CLI) cannot clear this process's cache: the banner's cache key
    holds the alerts' version, so the next page sees the change."""
    from django.db import transaction

    from newscast.weather.services.alerts import _apply as apply_without_cache_drop

    _apply("alerts_active.json", AT_ALERT)
    assert banner_alerts(AT_ALERT)  # cached now
    with transaction.atomic():
        apply_without_cache_drop(
            parse_alerts(recorded("alerts_active_update.json")), AT_UPDATE, False
        )
        apply_without_cache_drop(
            parse_alerts(recorded("alerts_active_cancel.json")), AT_CANCEL, False
        )
    assert banner_alerts(AT_CANCEL) == []


def test_banner_is_read_from_this_process_memory_once_read(tupelo_resolved, monkeypatch):
    """Every page shows the banner: once read at the alerts' version, it costs no round trip
    to the shared cache (Redis in production)."""
    from django.core.cache import cache

    _apply("alerts_active.json", AT_ALERT)
    assert banner_alerts(AT_ALERT)
    asked = []
    monkeypatch.setattr(cache, "get", lambda key, *args, **kwargs: asked.append(key))

    assert banner_alerts(AT_ALERT)
    assert asked == []


def test_drill_retries_a_locked_database_then_says_so_in_one_line(tupelo_resolved, monkeypatch):
    """SQLite's "database is locked" (the worker writing): tried again, then one plain line
    and exit status 1, never a traceback."""
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import OperationalError

    from newscast.core.commandline import LockAwareCommand
    from newscast.weather.services import drill as weather_drill

    monkeypatch.setattr(LockAwareCommand, "lock_pause_seconds", 0)
    real_apply = weather_drill.alerts_apply
    calls = []

    def busy_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(weather_drill, "alerts_apply", busy_once)
    call_command("weather_drill", "alert", stdout=io.StringIO())
    assert AlertMessage.objects.filter(event="Tornado Warning").exists()

    def always_busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(weather_drill, "alerts_apply", always_busy)
    with pytest.raises(CommandError, match="database is busy") as raised:
        call_command("weather_drill", "cancel", stdout=io.StringIO())
    assert "\n" not in str(raised.value)


def test_drill_wording_moves_with_the_alert_times():
    """The drill's headline and text say the shifted day and time, not the recorded October
    evening, in station time (Central, standard time in November)."""
    from newscast.weather.demo import SAMPLE_DIR, shift_alert_wording

    delta = datetime(2026, 11, 24, 14, 17, tzinfo=UTC) - datetime(2025, 10, 16, 0, 47, tzinfo=UTC)
    text = shift_alert_wording((SAMPLE_DIR / "alerts" / "alerts_active.json").read_text(), delta)
    warning = next(m for m in parse_alerts(json.loads(text)) if m.event == "Tornado Warning")
    assert warning.headline.startswith(
        "Tornado Warning issued November 24 at 8:17AM CST until November 24 at 9:00AM CST"
    )
    assert "Until 9 AM CST" in warning.description and "At 817 AM CST" in warning.description
    assert "October" not in text and "CDT" not in text


def test_banner_links_each_event_to_its_own_text_by_an_anchor_from_its_id(tupelo_resolved, client):
    """Two warnings for Lee: the banner has one line per event, most severe first, and each
    link's anchor is on the alerts page, on that very alert's text (not another county's)."""
    from django.template import Context, Template

    from newscast.weather.selectors import alert_anchor

    feed = recorded("alerts_active.json")
    tornado = next(f for f in feed["features"] if f["properties"]["event"] == "Tornado Warning")
    storm = json.loads(json.dumps(tornado))
    storm["properties"].update(
        id="urn:oid:2.49.0.1.840.0.0123456789abcdef0123456789abcdef01234567.001.1",
        event="Severe Thunderstorm Warning",
        severity="Severe",
        description="At 750 PM CDT, a severe thunderstorm was located near Tupelo.",
    )
    storm["properties"]["parameters"]["VTEC"] = ["/O.NEW.KMEG.SV.W.0150.251016T0050Z-251016T0130Z/"]
    # A second segment of the tornado warning's event: still one banner line for the event.
    segment = json.loads(json.dumps(tornado))
    segment["properties"]["id"] = tornado["properties"]["id"].replace(".001.1", ".002.1")
    alerts_apply(parse_alerts({"features": [storm, tornado, segment]}), now=AT_ALERT)
    banner = banner_alerts(AT_ALERT)
    assert [a["event"] for a in banner] == ["Tornado Warning", "Severe Thunderstorm Warning"]
    assert (
        banner[1]["anchor"]
        == ("alert-0123456789abcdef0123456789abcdef01234567-001-1")
        == alert_anchor(storm["properties"]["id"])
    )
    html = Template("{% load weather_tags %}{% weather_alert_banner %}").render(Context({}))
    with time_machine.travel(AT_ALERT, tick=False):
        html = Template("{% load weather_tags %}{% weather_alert_banner %}").render(Context({}))
        page = client.get(reverse("weather:alerts")).content.decode()
    for alert in banner:
        assert f'href="/weather/alerts/#{alert["anchor"]}"' in html
        article = page[page.index(f'id="{alert["anchor"]}"') :]
        article = article[: article.index("</article>")]
        assert alert["event"] in article
    assert (
        "a severe thunderstorm was located near Tupelo"
        in page[page.index(f'id="{banner[1]["anchor"]}"') :].split("</article>")[0]
    )


def test_alerts_page_ours_first_elsewhere_apart_and_all_clear(tupelo_resolved, client):
    """The tornado warning for Lee is ours; a watch for Harrison County on the coast is in the
    covered states but never called ours. Once nothing is in force here: "All clear"."""
    feed = recorded("alerts_active.json")
    coast = json.loads(
        json.dumps(next(f for f in feed["features"] if f["properties"]["event"] == "Tornado Watch"))
    )
    coast["properties"].update(
        id="urn:test:coastal-watch", areaDesc="Harrison, MS",
        geocode={"UGC": ["MSC047"], "SAME": ["028047"]},
    )  # fmt: skip
    coast["properties"]["parameters"]["VTEC"] = ["/O.NEW.KLIX.TO.A.0700.251016T0000Z-251016T0400Z/"]
    tornado = next(f for f in feed["features"] if f["properties"]["event"] == "Tornado Warning")
    alerts_apply(parse_alerts({"features": [tornado, coast]}), now=AT_ALERT)
    with time_machine.travel(AT_ALERT, tick=False):
        page = client.get(reverse("weather:alerts")).content.decode()
    ours, elsewhere = page.split('id="alerts-elsewhere"')
    assert "In force for our counties" in ours and "Tornado Warning" in ours
    assert "Harrison, MS" not in ours and "Harrison, MS" in elsewhere
    assert "Elsewhere in MS, AL" in elsewhere
    assert "All clear" not in page
    after_the_warning = datetime(2025, 10, 16, 1, 31, tzinfo=UTC)  # it ended at 8:30 PM CDT
    with time_machine.travel(after_the_warning, tick=False):
        page = client.get(reverse("weather:alerts")).content.decode()
    assert "All clear" in page.split('id="alerts-elsewhere"')[0]
    assert "Harrison, MS" in page  # still in force elsewhere
