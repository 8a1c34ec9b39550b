"""A first import files each new story by the news desk's short path (story_file_live):
the stories read as the long path's would, the tree stays sound, lists move once a poll."""

import pytest
from wagtail.models import Page, PageLogEntry

from newscast.core.models.content import content_version
from newscast.news.models import StoryPage
from newscast.news.selectors import story_search
from newscast.wire.models import WireItem
from newscast.wire.services import items
from newscast.wire.services.feeds import feed_poll

pytestmark = pytest.mark.django_db

Status = WireItem.Status


def test_first_poll_files_live_stories_and_moves_lists_once(serve, make_feed, section):
    feed = make_feed(serve("rss2_network_content_encoded.xml"), list_in_sitemaps=True)
    before = content_version()
    result = feed_poll(feed)
    assert result.new == 2
    assert content_version() == before + 1  # once for the poll, not once per story
    assert all(not problems for problems in Page.find_problems())
    section.refresh_from_db()
    assert section.numchild == 2
    for item in WireItem.objects.filter(feed=feed).select_related("story"):
        story = StoryPage.objects.get(pk=item.story_id)
        assert item.status == Status.PUBLISHED
        assert story.live and not story.has_unpublished_changes
        assert item.wire_revision_id == story.latest_revision_id == story.live_revision_id
        assert story.agency_copy_in_sitemaps  # the feed's setting, on the page row
        actions = sorted(PageLogEntry.objects.filter(page=story).values_list("action", flat=True))
        assert actions == ["wagtail.create", "wagtail.edit", "wagtail.publish"]
    assert [s.title for s in story_search("spillway")] == [
        "River authority opens spillway gates as rain totals climb"
    ]


def test_filed_story_matches_one_made_the_long_way(serve, make_feed, section, monkeypatch):
    """The same items filed by the short path and by Wagtail's whole path (story_create, the
    wire's own fallback, taken here for every item) give the same stories, history and
    queue state."""
    url = serve("rss2_network_content_encoded.xml")
    short = make_feed(url, name="Short path (sample)")
    long = make_feed(url, name="Long path (sample)")
    feed_poll(short)
    monkeypatch.setattr(items, "story_file_live", lambda *args, **kwargs: None)
    feed_poll(long)

    def shown(feed):
        rows = []
        for item in WireItem.objects.filter(feed=feed).order_by("headline"):
            story = StoryPage.objects.get(pk=item.story_id)
            rows.append(
                (
                    item.status,
                    item.wire_revision_id == story.live_revision_id,
                    story.title,
                    story.summary,
                    story.byline,
                    str(story.body),
                    story.posted_at,
                    story.live,
                    story.revisions.count(),
                    sorted(
                        PageLogEntry.objects.filter(page=story).values_list("action", flat=True)
                    ),
                )
            )
        return rows

    assert len(shown(short)) == 2
    assert shown(short) == shown(long)
    assert all(not problems for problems in Page.find_problems())
