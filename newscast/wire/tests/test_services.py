"""Feeds polled from a local server become stories; updates, edits, withdrawals and embargoes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from werkzeug import Response

from newscast.news.models import StoryPage
from newscast.news.services import story_revise
from newscast.wire.content import byline_beside_credit
from newscast.wire.models import WireFeed, WireItem
from newscast.wire.services.feeds import feed_import, feed_poll
from newscast.wire.services.queue import item_kill, item_publish
from newscast.wire.tests.conftest import feed_file

pytestmark = pytest.mark.django_db

Status = WireItem.Status


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_first_poll_fills_the_section_with_cleaned_credited_stories(serve, make_feed, section):
    feed = make_feed(serve("rss2_network_content_encoded.xml"), default_tags="wire, weather")
    result = feed_poll(feed)
    assert result.ok and (result.new, result.items_seen) == (2, 2)
    stories = StoryPage.objects.child_of(section).live().order_by("title")
    assert [s.title for s in stories] == [
        "River authority opens spillway gates as rain totals climb",
        "State lawmakers return for session with budget gap to close",
    ]
    spillway = stories[0]
    assert spillway.byline == "By Dana Whitfield, Magnolia Network News"
    assert spillway.source_credit == "MNN"
    assert spillway.canonical_url.startswith("https://wire.example.net/2020/01/08/spillway")
    assert spillway.posted_at.isoformat() == "2020-01-08T13:00:00+00:00"
    body = spillway.body.raw_data[0]
    assert body["type"] == "html"
    assert 'href="https://wire.example.net/topics/reservoir"' in body["value"]
    assert spillway.lead_image is not None and spillway.lead_image.width == 64
    assert spillway.lead_caption == "Water pours through the spillway gates on Wednesday."
    assert spillway.lead_credit == "Lee Ann Porter/Magnolia Network News"
    assert sorted(spillway.tags.names()) == ["weather", "wire"]
    feed.refresh_from_db()
    assert feed.last_success_at and feed.items_seen == 2 and not feed.last_error
    assert feed.last_result.startswith("2 items: 2 new, 0 updated, 0 unchanged")


def test_the_byline_does_not_repeat_the_credit_line(serve, make_feed, section):
    feed = make_feed(
        serve("rss2_network_content_encoded.xml"), credit_line="Magnolia Network News (sample)"
    )
    feed_poll(feed)
    bylines = dict(StoryPage.objects.child_of(section).values_list("title", "byline"))
    spillway = bylines["River authority opens spillway gates as rain totals climb"]
    assert spillway == "By Dana Whitfield"  # the agency is in the credit line beside it
    assert bylines["State lawmakers return for session with budget gap to close"] == (
        "By Marcus Bell"
    )


@pytest.mark.parametrize(
    ("byline", "credit", "shown"),
    [
        ("By Newscast Sample Wire", "Newscast Sample Wire (fictional)", ""),
        (
            "By Avery Lindqvist, Newscast Sample Wire",
            "Newscast Sample Wire (fictional)",
            "By Avery Lindqvist",
        ),
        (
            "By Dana Whitfield, Magnolia Network News",
            "MNN",
            "By Dana Whitfield, Magnolia Network News",
        ),
        ("By Ruth Okafor, Tom Greer", "The Associated Press", "By Ruth Okafor, Tom Greer"),
        ("", "CNN", ""),
    ],
)
def test_byline_beside_credit(byline, credit, shown):
    assert byline_beside_credit(byline, credit) == shown


def test_same_bytes_again_are_not_even_parsed(serve, make_feed):
    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    feed_poll(feed)
    with CaptureQueriesContext(connection) as queries:
        result = feed_poll(feed)
    assert result.not_modified and result.items_seen == 2
    assert len(writes(queries)) == 1 and "wire_wirefeed" in writes(queries)[0]


def test_unchanged_items_in_a_rebuilt_feed_write_nothing_but_the_poll_status(httpserver, make_feed):
    # Many servers rebuild the feed on every request: new lastBuildDate, same items.
    content = feed_file("rss2_dates_missing_future.xml")
    httpserver.expect_ordered_request("/rebuilt").respond_with_data(content)
    httpserver.expect_ordered_request("/rebuilt").respond_with_data(
        content.replace(b"<title>Odd dates (sample)</title>", b"<title>Odd dates</title>")
    )
    feed = make_feed(httpserver.url_for("/rebuilt"))
    feed_poll(feed)
    with CaptureQueriesContext(connection) as queries:
        result = feed_poll(feed)
    assert result.unchanged == 3 and result.new == result.updated == 0
    assert len(writes(queries)) == 1 and "wire_wirefeed" in writes(queries)[0]


def test_etag_and_last_modified_make_a_conditional_get(httpserver, make_feed):
    content = feed_file("rss2_duplicate_guids.xml")
    headers = {"ETag": '"v1"', "Last-Modified": "Thu, 09 Jan 2020 11:10:00 GMT"}
    httpserver.expect_ordered_request("/etag").respond_with_data(content, headers=headers)
    httpserver.expect_ordered_request(
        "/etag",
        headers={"If-None-Match": '"v1"', "If-Modified-Since": "Thu, 09 Jan 2020 11:10:00 GMT"},
    ).respond_with_data("", status=304)
    feed = make_feed(httpserver.url_for("/etag"))
    feed_poll(feed)
    feed.refresh_from_db()
    assert feed.etag == '"v1"'
    with CaptureQueriesContext(connection) as queries:
        result = feed_poll(feed)
    assert result.not_modified and len(writes(queries)) == 1
    httpserver.check_assertions()


def test_changed_item_updates_the_story_with_a_note(httpserver, serve, make_feed):
    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    feed_poll(feed)
    story = StoryPage.objects.get(title__startswith="River authority")
    httpserver.clear()
    feed.url = serve("rss2_network_content_encoded_update.xml", path="/v2")
    feed.save()
    result = feed_poll(feed)
    assert (result.updated, result.unchanged, result.new) == (1, 1, 0)
    story.refresh_from_db()
    assert story.title == "River authority opens six spillway gates as rain totals climb"
    assert story.update_note == "Updated from MNN: new headline and story text."
    assert story.updated_at is not None and story.updated_at > story.posted_at
    assert StoryPage.objects.count() == 2  # an update, never a duplicate
    item = WireItem.objects.get(story=story)
    assert item.versions.count() == 2 and item.wire_revision_id == story.latest_revision_id


def test_story_edited_here_is_never_overwritten(httpserver, serve, make_feed, admin_user):
    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    feed_poll(feed)
    story = StoryPage.objects.get(title__startswith="River authority")
    story_revise(
        story, fields={"title": "Spillway gates open (edited by our desk)"}, user=admin_user
    )
    httpserver.clear()
    feed.url = serve("rss2_network_content_encoded_update.xml", path="/v2")
    feed.save()
    result = feed_poll(feed)
    assert result.waiting == 1
    story.refresh_from_db()
    assert story.title == "Spillway gates open (edited by our desk)"
    item = WireItem.objects.get(story=story)
    assert item.status == Status.UPDATE_WAITING
    # The editor decides: the waiting wire version goes over the local edit.
    item_publish(item, user=admin_user)
    story.refresh_from_db()
    assert story.title == "River authority opens six spillway gates as rain totals climb"
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


def test_story_taken_down_here_is_not_put_back_by_an_update(httpserver, serve, make_feed):
    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    feed_poll(feed)
    story = StoryPage.objects.get(title__startswith="River authority")
    story.unpublish()
    httpserver.clear()
    feed.url = serve("rss2_network_content_encoded_update.xml", path="/v2")
    feed.save()
    assert feed_poll(feed).waiting == 1
    story.refresh_from_db()
    assert not story.live and story.title.startswith("River authority opens spillway")
    assert "took the story off the site" in WireItem.objects.get(story=story).note


def test_withdrawn_item_unpublishes_and_says_why(httpserver, serve, make_feed):
    from wagtail.models import PageLogEntry

    feed = make_feed(serve("ninjs3_envelope_embargo.json", content_type="application/json"))
    feed_poll(feed)
    story = StoryPage.objects.get(title="School board names interim superintendent")
    assert story.live
    httpserver.clear()
    feed.url = serve("ninjs3_envelope_withdrawn.json", path="/withdrawn")
    feed.save()
    result = feed_poll(feed)
    assert result.withdrawn == 1
    story.refresh_from_db()
    assert not story.live
    item = WireItem.objects.get(story=story)
    assert item.status == Status.WITHDRAWN and "canceled" in item.note
    log = PageLogEntry.objects.filter(page=story, action="news.story.unpublished").get()
    assert log.data["reason"] == "Withdrawn by MNN (pubstatus canceled)"


def test_embargoed_item_is_scheduled_not_published(serve, make_feed):
    feed = make_feed(serve("ninjs3_envelope_embargo.json", content_type="application/json"))
    feed_poll(feed)
    story = StoryPage.objects.get(title="State jobless rate falls to record low")
    assert not story.live and story.go_live_at.isoformat() == "2031-01-10T13:30:00+00:00"
    assert WireItem.objects.get(story=story).status == Status.SCHEDULED


def test_item_canceled_on_first_sight_never_becomes_a_story(serve, make_feed):
    feed = make_feed(serve("ninjs2_list.json", content_type="application/json"))
    result = feed_poll(feed)
    assert (result.new, result.withdrawn) == (1, 1)
    assert not StoryPage.objects.filter(title="Plant to add 200 jobs").exists()


def test_hold_policy_queues_until_an_editor_publishes_or_kills(serve, make_feed, admin_user):
    feed = make_feed(serve("rss2_network_content_encoded.xml"), policy=WireFeed.Policy.HOLD)
    result = feed_poll(feed)
    assert result.queued == 2 and StoryPage.objects.count() == 0
    spillway, session = WireItem.objects.order_by("headline")
    item_publish(spillway, user=admin_user)
    story = StoryPage.objects.get()
    assert story.live and story.lead_image is not None
    item_kill(spillway, user=admin_user, reason="legal asked")
    story.refresh_from_db()
    assert not story.live
    spillway.refresh_from_db()
    assert spillway.status == Status.KILLED and "legal asked" in spillway.note


def test_killed_item_ignores_later_versions(httpserver, serve, make_feed, admin_user):
    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    feed_poll(feed)
    item = WireItem.objects.get(headline__startswith="River authority")
    item_kill(item, user=admin_user)
    httpserver.clear()
    feed.url = serve("rss2_network_content_encoded_update.xml", path="/v2")
    feed.save()
    result = feed_poll(feed)
    assert result.ignored == 1
    item.refresh_from_db()
    assert item.status == Status.KILLED and not item.story.live


def test_hostile_html_never_reaches_the_story(serve, make_feed):
    feed = make_feed(serve("hostile_html.xml"))
    assert feed_poll(feed).new == 1
    story = StoryPage.objects.get()
    html = story.body.raw_data[0]["value"]
    assert story.title == "Council votes on budget"
    for bad in ("<script", "onclick", "onerror", "javascript:", "evil.example", "<style", "<form",
                "data:image", "<svg", "style="):  # fmt: skip
        assert bad not in html.lower(), bad
    assert 'src="https://www.youtube.com/embed/council-vote"' in html
    assert 'href="https://wire.example.net/documents/budget.pdf"' in html
    assert story.lead_image is None  # javascript: and 2.5-gigapixel pictures are refused


def test_duplicate_guids_and_items_without_identity(serve, make_feed):
    feed = make_feed(serve("rss2_duplicate_guids.xml"))
    result = feed_poll(feed)
    assert (result.new, result.skipped) == (1, 1)
    assert StoryPage.objects.get().title == "Bridge reopens after inspection"
    feed.refresh_from_db()
    assert "repeated a guid already in this feed; the first was kept" in feed.last_result
    assert "neither a guid nor a link" in feed.last_result


def test_missing_and_future_dates_get_the_time_seen(serve, make_feed):
    feed = make_feed(serve("rss2_dates_missing_future.xml"))
    before = timezone.now()
    assert feed_poll(feed).new == 3
    for story in StoryPage.objects.all():
        assert before - timedelta(seconds=1) <= story.posted_at <= timezone.now()
    future = WireItem.objects.get(guid="date-future")
    assert "in the future" in future.note


def test_wrong_encoding_still_gives_a_clean_story(serve, make_feed):
    feed = make_feed(serve("rss2_cp1252_undeclared.xml", content_type="text/xml"))
    assert feed_poll(feed).new == 1
    assert StoryPage.objects.get().title == "Café owner wins “Small Business of the Year”"


def test_picture_failure_keeps_the_story_without_a_lead_image(httpserver, make_feed):
    content = feed_file("rss2_enclosure_no_guid.xml").replace(
        b"https://radio.example.org/images", httpserver.url_for("/missing").encode()
    )
    httpserver.expect_request("/feed").respond_with_data(content)
    httpserver.expect_request("/missing/library-hours.jpg").respond_with_data("gone", status=404)
    feed = make_feed(httpserver.url_for("/feed"))
    assert feed_poll(feed).new == 2
    story = StoryPage.objects.get(title="Library extends weekend hours through spring")
    assert story.lead_image is None
    assert "404" in WireItem.objects.get(story=story).note


@pytest.mark.parametrize(
    ("respond", "message"),
    [
        (lambda: Response("oops", status=500), "answered HTTP 500"),
        (lambda: Response(feed_file("html_page_instead.html")), "HTML web page, not a feed"),
        (lambda: Response(feed_file("malformed_truncated.xml")), "not well-formed XML"),
        (lambda: Response(feed_file("malformed.json")), "JSON is malformed"),
    ],
)
def test_bad_answers_leave_earlier_stories_and_say_why(
    httpserver, serve, make_feed, respond, message
):
    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    feed_poll(feed)
    httpserver.clear()
    httpserver.expect_request("/broken").respond_with_handler(lambda request: respond())
    feed.url = httpserver.url_for("/broken")
    feed.save()
    result = feed_poll(feed, client=_fast_client())
    assert not result.ok and message in result.error
    feed.refresh_from_db()
    assert message in feed.last_error and feed.last_error_at
    assert StoryPage.objects.live().count() == 2 and WireItem.objects.count() == 2


def test_feed_over_the_size_cap(serve, make_feed, settings):
    settings.WIRE_MAX_FEED_BYTES = 1000
    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    result = feed_poll(feed)
    assert "over the 1,000-byte cap" in result.error and WireItem.objects.count() == 0


def test_timeout_is_reported(httpserver, make_feed):
    import time

    def slow(request):
        time.sleep(0.5)
        return Response(feed_file("rss2_duplicate_guids.xml"))

    httpserver.expect_request("/slow").respond_with_handler(slow)
    feed = make_feed(httpserver.url_for("/slow"))
    result = feed_poll(feed, client=_fast_client(timeout=0.1))
    assert "did not answer in time" in result.error and WireItem.objects.count() == 0


def test_import_of_a_saved_file(make_feed, section):
    feed = make_feed("https://agency.example.com/feeds/regional.atom", name="GSPA")
    result = feed_import(feed, feed_file("rss091_no_dates.xml"))
    assert result.new == 1
    assert StoryPage.objects.child_of(section).get().title == "Ribbon cutting set for downtown café"


def _fast_client(timeout=2.0):
    from newscast.wire.fetch import wire_client

    return wire_client(timeout=timeout)


def test_a_new_feed_url_forgets_the_old_validators(make_feed):
    feed = make_feed("https://wire.example.net/old.xml")
    WireFeed.objects.filter(pk=feed.pk).update(etag='"old"', body_hash="abc", last_modified="x")
    feed = WireFeed.objects.get(pk=feed.pk)
    feed.url = "https://wire.example.net/new.xml"
    feed.save()
    feed.refresh_from_db()
    assert (feed.etag, feed.body_hash, feed.last_modified) == ("", "", "")
