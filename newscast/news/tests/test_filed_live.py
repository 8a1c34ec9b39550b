"""story_file_live (the wire's short path) leaves what story_create(publish=True) leaves."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry

from newscast.core.models.content import content_version, content_version_bumps_deferred
from newscast.news.models import StoryPage
from newscast.news.selectors import story_search
from newscast.news.services import story_create, story_file_live, story_revise

pytestmark = pytest.mark.django_db

FIELDS = {
    "summary": "A fictional summary.",
    "body": [("html", "<p>Fictional body with a <a href='https://example.com/'>link</a>.</p>")],
    "byline": "By A. Writer",
    "source_credit": "Sample Wire",
    "canonical_url": "https://wire.example/story",
}


def page_view(story: StoryPage) -> dict:
    """What pages, the admin and the wire queue read of a story."""
    story = StoryPage.objects.get(pk=story.pk)
    revision = story.latest_revision
    return {
        "live": story.live,
        "has_unpublished_changes": story.has_unpublished_changes,
        "same_revision": story.live_revision_id == revision.pk,
        "revisions": story.revisions.count(),
        "first_published": story.first_published_at is not None,
        "posted_is_first_published": story.posted_at == story.first_published_at,
        "depth": story.depth,
        "url_path_end": story.url_path.rsplit("/", 2)[-2][:8],
        "draft_title": story.draft_title,
        "summary": story.summary,
        "body": str(story.body),
        "tags": sorted(t.name for t in story.tags.all()),
        "revision_title": revision.as_object().title,
        "revision_body": str(revision.as_object().body),
        "revision_tags": sorted(t.name for t in revision.as_object().tags.all()),
        "history": sorted(PageLogEntry.objects.filter(page=story).values_list("action", "label")),
        "history_revisions": sorted(
            (e.action, e.revision_id == revision.pk)
            for e in PageLogEntry.objects.filter(page=story)
        ),
    }


def test_filed_story_reads_as_a_created_one(section):
    made = story_create(section, title="Council meets", tags=["council"], **FIELDS)
    filed = story_file_live(section, title="Council meets", tags=["council"], **FIELDS)
    assert filed.slug == "council-meets-2"  # a free address beside the first, as Wagtail gives
    expected = page_view(made)
    got = page_view(filed)
    assert got.pop("url_path_end") == "council-"
    expected.pop("url_path_end")
    assert got == expected
    assert got["history"] == [
        ("wagtail.create", "Council meets"),
        ("wagtail.edit", "Council meets"),
        ("wagtail.publish", "Council meets"),
    ]
    assert list(filed.get_parent().get_children().live().specific()) == [made, filed]
    assert StoryPage.objects.get(pk=filed.pk).url == f"/local/{filed.slug}/"


def test_filed_story_keeps_tree_sound_and_section_counts(section, home):
    story_create(section, title="Made the long way", **FIELDS)
    for n in range(12):
        story_file_live(section, title=f"Filed story {n}", **FIELDS)
    story_create(section, title="Made after", **FIELDS)
    assert all(not problems for problems in Page.find_problems())
    section.refresh_from_db()
    assert section.numchild == 14 == section.get_children().count()


def test_filed_story_keeps_given_posted_time_and_revises_normally(section):
    from datetime import UTC, datetime

    posted = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    story = story_file_live(section, title="Old wire copy", posted_at=posted, **FIELDS)
    story = StoryPage.objects.get(pk=story.pk)
    assert story.posted_at == posted
    revised = story_revise(story, fields={"summary": "New summary."}, update_note="New facts.")
    assert revised.live and revised.summary == "New summary."
    assert revised.posted_at == posted and revised.update_note == "New facts."
    assert revised.revisions.count() == 2


def test_filed_story_is_found_by_search(section):
    story_file_live(section, title="Zebra crossing repainted", **FIELDS)
    found = [s.title for s in story_search("zebra")]
    assert found == ["Zebra crossing repainted"]


def test_filed_story_strips_bidi_controls(section):
    story = story_file_live(section, title="Head\u202eline", **FIELDS)
    assert StoryPage.objects.get(pk=story.pk).title == "Headline"


def test_title_without_address_writes_nothing(section):
    before = Page.objects.count()
    assert story_file_live(section, title="!!!", **FIELDS) is None
    assert Page.objects.count() == before


def test_deferred_bumps_move_the_version_once(section):
    before = content_version()
    with content_version_bumps_deferred():
        for n in range(3):
            story_file_live(section, title=f"Quiet story {n}", **FIELDS)
        assert content_version() == before
    assert content_version() == before + 1


def test_filed_story_costs_few_queries(section):
    story_file_live(section, title="Warm-up", tags=["council"], **FIELDS)  # tag, content types
    with CaptureQueriesContext(connection) as queries:
        story_file_live(section, title="Counted", tags=["council"], **FIELDS)
    # The test settings run the search and reference index updates in place; in production
    # they are the worker's, so they are left out of the count.
    own = [
        q["sql"]
        for q in queries.captured_queries
        if "wagtailsearch" not in q["sql"] and "referenceindex" not in q["sql"]
    ]
    assert len(own) < 40, "\n".join(sql[:120] for sql in own)  # story_create: about 90
