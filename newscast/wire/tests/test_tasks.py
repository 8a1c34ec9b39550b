"""The every-minute job polls the feeds that are due, and records its run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from newscast.core.models import JobRun
from newscast.wire.models import WireFeed
from newscast.wire.selectors import feed_list_due
from newscast.wire.tasks import wire_poll

pytestmark = pytest.mark.django_db


def test_due_feeds_follow_their_interval(make_feed):
    now = timezone.now()
    never = make_feed("https://a.example/rss", name="Never polled")
    recent = make_feed("https://b.example/rss", name="Recent", poll_interval=10)
    stale = make_feed("https://c.example/rss", name="Stale", poll_interval=10)
    paused = make_feed("https://d.example/rss", name="Paused", active=False)
    WireFeed.objects.filter(pk=recent.pk).update(last_polled_at=now - timedelta(minutes=3))
    WireFeed.objects.filter(pk=stale.pk).update(last_polled_at=now - timedelta(minutes=11))
    due = {feed.name for feed in feed_list_due(now)}
    assert due == {never.name, stale.name} and paused.name not in due


def test_job_polls_due_feeds_and_one_failure_spares_the_others(httpserver, serve, make_feed):
    httpserver.expect_request("/down").respond_with_data("", status=404)
    make_feed(httpserver.url_for("/down"), name="Broken")
    make_feed(serve("rss2_network_content_encoded.xml"))
    wire_poll.call_local()
    run = JobRun.objects.get(job="wire_poll")
    assert run.outcome == JobRun.Outcome.SUCCESS
    assert "2 feed(s) polled, 1 failed" in run.summary
    good = WireFeed.objects.get(name="Magnolia Network News")
    broken = WireFeed.objects.get(name="Broken")
    assert good.items.count() == 2 and "HTTP 404" in broken.last_error


def test_a_feed_already_being_polled_is_left_alone(serve, make_feed):
    from django.core.cache import cache

    from newscast.wire.services.feeds import feeds_poll

    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    cache.add(f"wire:polling:{feed.pk}", "another worker", 60)
    try:
        (result,) = feeds_poll([feed])
    finally:
        cache.delete(f"wire:polling:{feed.pk}")
    assert result.problems == ["a poll is already running"] and feed.items.count() == 0
    (result,) = feeds_poll([feed])
    assert result.new == 2
