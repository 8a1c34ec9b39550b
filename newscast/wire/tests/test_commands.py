"""`newscast wire poll` and `newscast wire import`: same work by hand, non-zero exit on error."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from newscast.news.models import StoryPage
from newscast.wire.models import WireFeed
from newscast.wire.tests.conftest import FEEDS

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_poll_all_active_feeds(serve, make_feed):
    make_feed(serve("rss2_network_content_encoded.xml"))
    make_feed(serve("ninjs2_list.json", path="/ninjs"), name="GSPA", active=False)
    out = run("wire_poll")
    assert "Magnolia Network News: 2 items: 2 new" in out and "GSPA" not in out
    assert StoryPage.objects.count() == 2


def test_poll_one_feed_by_name_even_when_paused(serve, make_feed):
    make_feed(serve("ninjs2_list.json", path="/ninjs"), name="GSPA", active=False)
    assert "GSPA: 2 items: 1 new" in run("wire_poll", "--feed", "gspa")


def test_poll_failure_exits_non_zero_and_names_the_feed(httpserver, make_feed):
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    make_feed(httpserver.url_for("/gone"))
    with pytest.raises(CommandError, match="1 feed\\(s\\) failed: Magnolia Network News"):
        run("wire_poll")


def test_poll_unknown_feed_lists_the_known_ones(make_feed):
    make_feed("https://wire.example.net/rss")
    with pytest.raises(CommandError, match="No wire feed is called 'CNN'.*'Magnolia Network News'"):
        run("wire_poll", "--feed", "CNN")


def test_import_a_saved_file(make_feed):
    make_feed("https://wire.example.net/rss")
    out = run("wire_import", str(FEEDS / "rss1_rdf_dc_date.xml"))
    assert "1 items: 1 new" in out
    assert StoryPage.objects.get().title == "County Road 1450 closes for bridge repairs"


def test_import_of_a_bad_file_exits_non_zero(make_feed):
    make_feed("https://wire.example.net/rss")
    with pytest.raises(CommandError, match="the file is an HTML web page, not a feed"):
        run("wire_import", str(FEEDS / "html_page_instead.html"), "--feed", "Magnolia Network News")
    with pytest.raises(CommandError, match="Cannot read"):
        run("wire_import", str(FEEDS / "no-such-file.xml"))


def test_a_bad_import_leaves_the_feeds_poll_status_alone(make_feed):
    feed = make_feed("https://wire.example.net/rss")
    polled = timezone.now() - timedelta(minutes=3)
    WireFeed.objects.filter(pk=feed.pk).update(
        last_polled_at=polled, last_success_at=polled, last_result="4 items: 0 new"
    )
    with pytest.raises(CommandError):
        run("wire_import", str(FEEDS / "html_page_instead.html"))
    feed.refresh_from_db()
    assert feed.last_error == "" and feed.last_error_at is None
    assert feed.last_polled_at == polled and feed.last_result == "4 items: 0 new"


def test_import_needs_a_feed_when_there_are_several(make_feed):
    make_feed("https://wire.example.net/rss")
    make_feed("https://agency.example.com/atom", name="GSPA")
    with pytest.raises(CommandError, match="--feed NAME"):
        run("wire_import", str(FEEDS / "rss1_rdf_dc_date.xml"))


def test_cli_words_reach_the_commands():
    from newscast.cli import translate

    assert translate(["wire", "poll", "--feed", "X"]) == ["wire_poll", "--feed", "X"]
    assert translate(["wire", "import", "f.xml"]) == ["wire_import", "f.xml"]
