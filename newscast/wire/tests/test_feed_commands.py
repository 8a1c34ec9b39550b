"""`newscast wire add / list / remove`: feeds set up from scripts, refused cleanly when wrong."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from newscast.news.models import StoryPage
from newscast.wire.models import WireFeed, WireItem

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_a_feed_that_holds_for_an_editor(section):
    out = run(
        "wire_add", "AP Top News", "https://wire.example.net/ap.xml",
        "--section", "nation-world", "--credit", "AP", "--format", "syndication", "--hold",
    )  # fmt: skip
    assert "Added wire feed 'AP Top News'" in out and "hold for an editor" in out
    feed = WireFeed.objects.get()
    assert (feed.url, feed.section_id, feed.credit_line) == (
        "https://wire.example.net/ap.xml", section.pk, "AP",
    )  # fmt: skip
    assert (feed.format, feed.policy, feed.active) == ("syndication", "hold", True)


def test_a_feed_publishes_by_default_with_its_format_detected(section):
    run("wire_add", "GSPA", "https://agency.example.com/ninjs", "--section", "nation-world",
        "--credit", "GSPA")  # fmt: skip
    assert WireFeed.objects.values_list("format", "policy").get() == ("auto", "publish")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["file:///etc/passwd"], "url: Enter a valid URL."),
        (["ftp://wire.example.net/feed"], "url: Enter an http:// or https:// address."),
        (["not a url"], "url: Enter a valid URL."),
    ],
)
def test_add_refuses_an_address_that_is_not_http(section, args, message):
    with pytest.raises(CommandError, match=message):
        run("wire_add", "Bad", *args, "--section", "nation-world", "--credit", "X")
    assert not WireFeed.objects.exists()


def test_add_refuses_an_unknown_section_naming_the_real_ones(section):
    with pytest.raises(CommandError, match="No section 'sports' \\(sections: nation-world\\)"):
        run("wire_add", "AP", "https://wire.example.net/ap.xml", "--section", "sports",
            "--credit", "AP")  # fmt: skip
    assert not WireFeed.objects.exists()


def test_add_refuses_a_name_already_taken(make_feed):
    make_feed("https://wire.example.net/rss", name="AP")
    with pytest.raises(CommandError, match="name: Wire feed with this Name already exists"):
        run("wire_add", "AP", "https://wire.example.net/other.xml", "--section", "nation-world",
            "--credit", "AP")  # fmt: skip
    assert WireFeed.objects.get().url == "https://wire.example.net/rss"


def test_add_requires_section_and_credit():
    with pytest.raises(CommandError, match="--section.*--credit|--credit.*--section"):
        call_command("wire_add", "AP", "https://wire.example.net/ap.xml")


def test_list_as_text_and_json(make_feed):
    make_feed("https://wire.example.net/rss", name="Magnolia Network News")
    make_feed("https://agency.example.com/ninjs", name="GSPA", active=False, policy="hold")
    text = run("wire_list")
    lines = text.splitlines()
    assert lines[0].split() == ["name", "format", "section", "policy", "active", "status", "url"]
    assert lines[1].startswith("GSPA") and "Paused" in lines[1]
    assert lines[2].startswith("Magnolia Network News") and "Not polled yet" in lines[2]
    rows = json.loads(run("wire_list", "--json"))
    assert [row["name"] for row in rows] == ["GSPA", "Magnolia Network News"]
    assert rows[0] | {"last_success_at": None} == {
        "name": "GSPA", "url": "https://agency.example.com/ninjs", "format": "auto",
        "section": "nation-world", "credit": "MNN", "policy": "hold", "active": False,
        "status": "Paused", "last_success_at": None,
    }  # fmt: skip


def test_list_with_no_feeds():
    assert "No wire feeds yet" in run("wire_list")
    assert json.loads(run("wire_list", "--json")) == []


def test_remove_takes_the_queue_and_leaves_the_stories(serve, make_feed):
    make_feed(serve("rss2_network_content_encoded.xml"))
    run("wire_poll")
    assert StoryPage.objects.count() == 2 and WireItem.objects.count() == 2
    out = run("wire_remove", "magnolia network news")
    assert "Removed wire feed 'Magnolia Network News' and 2 queue item(s)" in out
    assert not WireFeed.objects.exists() and not WireItem.objects.exists()
    assert StoryPage.objects.live().count() == 2


def test_remove_an_unknown_feed_lists_the_known_ones(make_feed):
    make_feed("https://wire.example.net/rss")
    with pytest.raises(CommandError, match="No wire feed is called 'CNN'"):
        run("wire_remove", "CNN")
    assert WireFeed.objects.count() == 1
