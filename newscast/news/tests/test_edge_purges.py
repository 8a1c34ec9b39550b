"""Which purges a change sends, and when: in the worker after the commit, never in the save.

The purge listener is a local HTTP server standing in for nginx's (`purges`, conftest.py; the
real nginx is in test_edge.py). The weather's purges: weather/tests/test_edge.py."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from newscast.core.edge import EDGE_SECONDS, edge_seconds
from newscast.core.jobs import JOBS
from newscast.core.models import JobRun
from newscast.core.tasks import edge_rebake_front
from newscast.news.models import BreakingNewsBanner

# Real commits: the purge is queued by the commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_publish_purges_in_the_worker_after_the_commit(make_story, worker_queue, purges):
    story = make_story()
    worker_queue()
    purges.clear()
    story.title = "Tupelo council moves splash pad to Ballard Park"
    story.save_revision().publish()
    assert purges == []  # the editor's save never waits for the edge
    assert worker_queue() >= 1
    paths = {path for path, _ in purges}
    assert {
        story.url,
        "/",
        "/local/",
        "/feeds/rss/",
        "/feeds/local/rss/",
        "/news-sitemap.xml",
    } <= paths
    # Both copies of each page: plain and gzip, refreshed in place and baked, never deleted.
    assert (story.url, "") in purges and (story.url, "gzip") in purges
    assert set().union(*purges.methods.values()) == {"BAKE"}


def test_a_breaking_banner_purges_every_news_page_once(make_story, worker_queue, purges):
    stories = [make_story(f"Story {n}") for n in range(3)]
    worker_queue()
    purges.clear()
    now = timezone.now()
    with transaction.atomic():
        BreakingNewsBanner.objects.create(
            headline="Tornado warning for Lee County",
            starts_at=now,
            expires_at=now + timedelta(hours=1),
        )
        BreakingNewsBanner.objects.create(
            headline="Second banner", starts_at=now, expires_at=now + timedelta(hours=2)
        )
    worker_queue()
    paths = [path for path, encoding in purges if encoding == ""]  # one site-wide purge
    assert {story.url for story in stories} | {"/", "/local/", "/authors/"} <= set(paths)
    assert len(paths) == len(set(paths))
    # Every baked page deleted at once, the most read refreshed (and baked) in place, the
    # long list of stories purged.
    assert purges.unbaked_sites == ["localhost"]
    for path in ("/", "/local/", "/feeds/rss/", "/feeds/local/atom/"):
        assert purges.methods[path] == {"BAKE"}, path
    assert {purges.methods[story.url].pop() for story in stories} == {"PURGE"}


def test_a_banner_that_ends_soon_shortens_how_long_pages_are_kept(db):
    assert edge_seconds() == EDGE_SECONDS
    now = timezone.now()
    BreakingNewsBanner.objects.create(
        headline="Road closed", starts_at=now, expires_at=now + timedelta(seconds=90)
    )
    assert 85 <= edge_seconds() <= 90


def test_stories_filed_in_one_transaction_are_purged_in_one_batch(make_story, worker_queue, purges):
    make_story("First")
    worker_queue()
    purges.clear()
    with transaction.atomic():
        stories = [make_story(f"Wire story {n}") for n in range(3)]
    worker_queue()
    paths = [path for path, encoding in purges if encoding == ""]
    assert {story.url for story in stories} <= set(paths)
    assert paths.count("/") == 1  # the home page they share, once


def test_each_ten_minutes_the_front_is_renewed_in_place_and_no_story(
    make_story, worker_queue, purges
):
    story = make_story()
    worker_queue()
    purges.clear()
    edge_rebake_front.call_local()
    for path in ("/", "/local/", "/feeds/rss/", "/feeds/local/atom/"):
        assert {(path, ""), (path, "gzip")} <= set(purges), path
        assert purges.methods[path] == {"BAKE"}, path
    assert story.url not in purges.methods  # a story keeps its copy until it changes
    run = JobRun.objects.get(job="edge_rebake_front")
    assert run.outcome == JobRun.Outcome.SUCCESS
    assert run.summary.endswith("at 1 edge(s): nginx")


def test_a_cdn_that_cannot_renew_in_place_is_not_purged_each_ten_minutes(
    make_story, purges, settings
):
    make_story()
    purges.clear()  # its publish's refresh
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "newscast.core.edge.CloudflareEverythingBackend",
            "ZONEID": "sample-zone",
            "BEARER_TOKEN": "sample-token",
        }
    }
    edge_rebake_front.call_local()  # a purge would have reached for Cloudflare's API
    assert JobRun.objects.get(job="edge_rebake_front").summary == (
        "no edge that refreshes in place"
    )
    assert purges == []


def test_the_front_is_renewed_as_each_of_nginxs_ten_minute_folders_begins():
    rebake = JOBS["edge_rebake_front"].task.task_class()
    for minute, due in ((0, True), (10, True), (50, True), (5, False), (11, False)):
        at = datetime(2026, 11, 30, 1, minute, tzinfo=UTC)
        assert rebake.validate_datetime(at) is due, minute
