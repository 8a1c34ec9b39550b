"""What a broadcaster publishes: the footer's links and captioning contacts, the deploy check,
the live stream page, the on-air schedule and the header's LIVE mark."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from newscast.core.models import OnAirSlot, site_link_validate
from newscast.home.checks import (
    CAPTIONING_CONTACTS_MISSING,
    PUBLIC_FILE_MISSING,
    broadcaster_links_check,
)

pytestmark = pytest.mark.django_db

CENTRAL = ZoneInfo("America/Chicago")
# The demo schedule has the News at 6 every day, 6:00-6:30 p.m. Central.
SUNDAY_6_10_PM = datetime(2026, 11, 29, 18, 10, tzinfo=CENTRAL)
SUNDAY_3_PM = datetime(2026, 11, 29, 15, 0, tzinfo=CENTRAL)


@pytest.fixture
def client():
    return Client()


def _reload(station):
    from newscast.core.models import StationSettings

    return StationSettings.objects.get(pk=station.pk)


def test_footer_shows_the_links_and_captioning_contacts_on_every_page(client, station):
    station.privacy_url = "/privacy/"
    station.save()

    for path in ("/corrections/", "/search/?q=x", "/live/"):
        html = client.get(path).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert '<a href="https://publicfiles.fcc.gov/">FCC public file</a>' in footer
        assert '<a href="/privacy/">Privacy policy</a>' in footer
        assert "Send us a news tip" in footer
        assert "For immediate concerns: Sample: Master control operator on duty" in footer
        assert '<a href="tel:662-555-0100">662-555-0100</a>' in footer
        assert "Written complaints: Sample: Jordan Reyes, Chief Engineer" in footer


def test_footer_leaves_out_links_that_are_not_set(client, station):
    station.eeo_report_url = ""
    station.save()

    footer = client.get("/corrections/").content.decode().split('<footer class="site-footer">')[1]

    assert "EEO public file report" not in footer
    assert "Terms of use" not in footer


@pytest.mark.parametrize("value", ["/about/", "https://example.com/rules", "mailto:tips@x.org"])
def test_links_may_be_site_paths_https_or_mailto(value):
    site_link_validate(value)


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "http://example.com/", "//evil.example/", "mailto:nobody"]
)
def test_other_links_are_refused(value):
    with pytest.raises(ValidationError):
        site_link_validate(value)


def test_deploy_check_is_quiet_when_the_public_file_and_contacts_are_set(station):
    assert broadcaster_links_check() == []


def test_deploy_check_warns_about_a_missing_public_file_and_captioning_contacts(station):
    station.fcc_public_file_url = ""
    station.captioning_written_name = ""
    station.captioning_immediate_phone = station.captioning_immediate_email = ""
    station.save()

    warnings = broadcaster_links_check()

    assert [w.id for w in warnings] == [PUBLIC_FILE_MISSING, CAPTIONING_CONTACTS_MISSING]
    assert "73.3526" in warnings[0].msg
    assert "immediate concerns" in warnings[1].msg and "written complaints" in warnings[1].msg


def test_check_deploy_command_reports_them(station, capsys):
    station.fcc_public_file_url = ""
    station.save()

    # Only the broadcaster's checks: the settings ones would flag the test settings.
    call_command("check", "--deploy", "--tag", "newscast")

    assert PUBLIC_FILE_MISSING in capsys.readouterr().err


def test_the_check_does_not_create_settings_for_a_site_without_them(db):
    from newscast.core.models import StationSettings

    warnings = broadcaster_links_check()

    assert {w.id for w in warnings} <= {PUBLIC_FILE_MISSING, CAPTIONING_CONTACTS_MISSING}
    assert not StationSettings.objects.exists()


@pytest.mark.parametrize(
    "weekday, start, end, local, on",
    [
        (6, time(18), time(18, 30), datetime(2026, 11, 29, 18, 0), True),
        (6, time(18), time(18, 30), datetime(2026, 11, 29, 18, 30), False),
        (6, time(18), time(18, 30), datetime(2026, 11, 22, 17, 59), False),
        (5, time(18), time(18, 30), datetime(2026, 11, 29, 18, 10), False),  # Saturday's
        # Past midnight: Saturday 11:30 p.m. to 12:30 a.m. is on early Sunday too.
        (5, time(23, 30), time(0, 30), datetime(2026, 11, 29, 0, 15), True),
        (5, time(23, 30), time(0, 30), datetime(2026, 11, 28, 23, 45), True),
        (5, time(23, 30), time(0, 30), datetime(2026, 11, 29, 0, 45), False),
        (5, time(23, 30), time(0, 30), datetime(2026, 11, 28, 0, 15), False),
    ],
)
def test_on_air_slot(weekday, start, end, local, on):
    slot = OnAirSlot(weekday=weekday, starts_at=start, ends_at=end, title="News")

    assert slot.is_on_air(local.replace(tzinfo=CENTRAL)) is on


def test_on_air_now_reads_the_station_time_zone(station):
    # 00:10 UTC Monday is 6:10 p.m. Sunday in Tupelo: the News at 6 is on.
    assert station.on_air_now(datetime(2026, 11, 30, 0, 10, tzinfo=UTC)).title == (
        "Sample: News at 6"
    )
    assert station.on_air_now(datetime(2026, 11, 29, 18, 10, tzinfo=UTC)) is None


def test_header_shows_live_while_a_newscast_is_on(client, station):
    with time_machine.travel(SUNDAY_6_10_PM, tick=False):
        html = client.get("/corrections/").content.decode()
    assert '<a class="live-mark" href="/live/"' in html
    assert "Sample: News at 6 is on now" in html

    with time_machine.travel(SUNDAY_3_PM, tick=False):
        html = client.get("/corrections/").content.decode()
    assert "live-mark" not in html


def test_no_live_mark_without_a_stream(client, station):
    station.live_stream_url = ""
    station.save()

    with time_machine.travel(SUNDAY_6_10_PM, tick=False):
        html = client.get("/corrections/").content.decode()

    assert "live-mark" not in html
    assert client.get("/live/").status_code == 404


def test_live_page_plays_the_stream_and_shows_the_schedule(client, station):
    with time_machine.travel(SUNDAY_6_10_PM, tick=False):
        html = client.get("/live/").content.decode()

    assert 'data-hls="/static/video/sample/sample-clip.m3u8"' in html
    assert "Sample: News at 6</strong>" not in html  # the mark, not a bold title
    assert "Sample: News at 6 is on now." in html
    assert '<tr class="schedule__now"><td>Sunday</td><td>Sample: News at 6</td>' in html
    assert "6:00 PM – 6:30 PM" in html

    with time_machine.travel(SUNDAY_3_PM, tick=False):
        html = client.get("/live/").content.decode()
    assert "We are not on air right now" in html


def test_live_stream_address_must_be_https_or_local(station):
    station.live_stream_url = "http://stream.example.com/live.m3u8"

    with pytest.raises(ValidationError) as error:
        station.full_clean()

    assert "live_stream_url" in error.value.message_dict
    assert _reload(station).live_stream_url.startswith("/static/")


def test_station_settings_admin_shows_live_links_and_captioning_panels(station):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client = Client()
    client.force_login(editor)

    response = client.get(f"/admin/settings/core/stationsettings/{station.site_id}/")
    html = response.content.decode()

    assert response.status_code == 200
    for heading in (
        "Live",
        "On-air schedule",
        "FCC online public file",
        "Closed captioning: immediate concerns",
        "Closed captioning: written complaints",
    ):
        assert heading in html, heading
    assert client.get("/admin/snippets/news/video/").status_code == 200
