"""The wire poll: every minute the jobs worker polls the feeds whose interval has passed."""

from datetime import timedelta

from huey.contrib.djhuey import db_task

from newscast.core.jobs import periodic_job
from newscast.wire.models import WireFeed
from newscast.wire.selectors import feed_list_due
from newscast.wire.services.feeds import feeds_poll, poll_summary


def poll_due_feeds() -> str:
    """Poll every due feed (one bad feed never stops the others); a one-line summary."""
    return poll_summary(feeds_poll(feed_list_due()))


# Feeds are polled every few minutes (each by its own interval).
@periodic_job("wire_poll", every="every minute", fresh_within=timedelta(minutes=30), minute="*")
def wire_poll() -> str:
    return poll_due_feeds()


@db_task()
def wire_poll_feed(feed_id: int) -> str:
    """Poll one feed now (the admin's "Poll now"); the result lands in the feed's status."""
    feed = WireFeed.objects.filter(pk=feed_id).first()
    if feed is None:
        return "feed no longer exists"
    return poll_summary(feeds_poll([feed]))
