"""The wire desk's entry points against hostile URLs and files (issue 10's adversarial suite)."""

import io

import pytest
from django.core.management import CommandError, call_command

from newscast.core.tests.hostile import SECRET_BODY, as_lab_host, hostile_server, lab_dns
from newscast.news.models import StoryPage
from newscast.wire.models import WireItem
from newscast.wire.services.feeds import feed_poll
from newscast.wire.tests.conftest import FEEDS

pytestmark = pytest.mark.django_db


def test_poll_of_a_feed_inside_the_network_is_refused(settings, make_feed):
    settings.NEWSCAST_FETCH_ALLOWED_PRIVATE_HOSTS = []
    with hostile_server() as base:
        feed = make_feed(base + "/secret")
        result = feed_poll(feed)
    feed.refresh_from_db()
    assert not result.ok and "loopback address inside the network" in feed.last_error
    assert SECRET_BODY.decode() not in feed.last_error
    assert StoryPage.objects.count() == 0


def test_poll_that_redirects_to_the_metadata_service_is_refused(settings, make_feed):
    lab_dns(settings)
    with hostile_server(redirects={"/feed-moved": "http://169.254.169.254/"}) as base:
        feed = make_feed(as_lab_host(base) + "/feed-moved")
        feed_poll(feed)
    feed.refresh_from_db()
    assert "169.254.169.254, a link-local address" in feed.last_error


def test_pictures_named_inside_the_network_are_skipped(settings, serve, make_feed):
    """The feed's host may be reached; its pictures point at 127.0.0.1, which may not."""
    lab_dns(settings)
    feed = make_feed(as_lab_host(serve("rss2_network_content_encoded.xml")))
    result = feed_poll(feed)
    assert result.ok and StoryPage.objects.count() == 2
    assert not WireItem.objects.filter(picture__isnull=False).exists()


def test_endless_feed_stops_at_the_cap(settings, make_feed):
    settings.WIRE_MAX_FEED_BYTES = 500_000
    with hostile_server() as base:
        feed = make_feed(base + "/endless")
        feed_poll(feed)
    feed.refresh_from_db()
    assert "over the 500,000-byte cap" in feed.last_error


def test_import_of_a_file_over_the_cap_reads_no_more_than_the_cap(settings, make_feed, tmp_path):
    settings.WIRE_MAX_FEED_BYTES = 1_000
    make_feed("https://wire.example.net/rss")
    big = tmp_path / "big.xml"
    big.write_bytes((FEEDS / "rss2_network_content_encoded.xml").read_bytes() * 20)
    with pytest.raises(CommandError, match="over the 1,000-byte cap.*nothing was imported"):
        call_command("wire_import", str(big), stdout=io.StringIO())
    assert StoryPage.objects.count() == 0


def test_import_of_an_endless_device_stops_at_the_cap(settings, make_feed):
    settings.WIRE_MAX_FEED_BYTES = 10_000
    make_feed("https://wire.example.net/rss")
    with pytest.raises(CommandError, match="over the 10,000-byte cap"):
        call_command("wire_import", "/dev/zero", stdout=io.StringIO())


def test_ninjs_nested_too_deep_is_refused(make_feed, tmp_path):
    make_feed("https://wire.example.net/ninjs", format="ninjs")
    deep = tmp_path / "deep.json"
    deep.write_text('{"uri": "x", "headline": "Deep", "subject": ' + "[" * 500 + "]" * 500 + "}")
    with pytest.raises(CommandError, match="nested deeper than 64 levels"):
        call_command("wire_import", str(deep), stdout=io.StringIO())
