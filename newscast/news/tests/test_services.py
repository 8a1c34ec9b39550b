"""Stories created, revised and unpublished through the services; Posted/Updated rules."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry

from newscast.news.models import StoryPage
from newscast.news.services import (
    UNPUBLISH_REASON_ACTION,
    story_create,
    story_revise,
    story_unpublish,
)

pytestmark = pytest.mark.django_db


def test_create_publishes_and_fixes_posted_at(make_story):
    before = timezone.now()
    story = make_story(tags=["tupelo", "city council"])

    assert story.live
    assert before <= story.posted_at <= timezone.now()
    assert story.updated_at is None
    assert story.shown_updated_at == story.posted_at
    assert sorted(story.tags.names()) == ["city council", "tupelo"]
    assert story.get_latest_revision() is not None


def test_create_draft_is_not_live_and_has_no_posted_time(make_story):
    story = make_story(publish=False)

    assert not story.live
    assert story.posted_at is None


def test_wire_story_keeps_its_original_posted_time(make_story):
    original = timezone.now() - timedelta(hours=3)
    story = make_story(
        body=[{"type": "html", "value": "<p>Wire copy<script>alert(1)</script></p>"}],
        source_credit="CNN",
        canonical_url="https://example.com/original",
        posted_at=original,
    )

    assert story.posted_at == original
    assert story.source_credit == "CNN"
    assert story.body.raw_data[0]["value"] == "<p>Wire copy</p>"


def test_plain_revision_moves_neither_posted_nor_updated(make_story):
    story = make_story()
    posted = story.posted_at

    revised = story_revise(story, fields={"summary": "Typo fixed."})

    assert revised.summary == "Typo fixed."
    assert revised.posted_at == posted
    assert revised.updated_at is None
    assert revised.last_published_at > posted


def test_significant_update_moves_updated_and_shows_note(make_story):
    story = make_story()
    posted = story.posted_at

    revised = story_revise(story, fields={"title": "New headline"}, update_note="Adds vote.")

    assert revised.title == "New headline"
    assert revised.posted_at == posted
    assert revised.updated_at > posted
    assert revised.update_note == "Adds vote."
    assert revised.significant_update is False

    # A later plain edit keeps the Updated time and note of the significant one.
    again = story_revise(revised, fields={"summary": "Comma."})
    assert again.updated_at == revised.updated_at
    assert again.update_note == "Adds vote."


def test_significant_update_saved_as_draft_moves_nothing_until_published(make_story):
    story = make_story()

    draft = story_revise(story, fields={"summary": "Later."}, update_note="Later.", publish=False)
    assert draft.updated_at is None

    draft.get_latest_revision().publish()
    published = StoryPage.objects.get(pk=story.pk)
    assert published.updated_at is not None
    assert published.update_note == "Later."


def test_revise_rejects_unknown_fields(make_story):
    with pytest.raises(ValueError, match="no field 'headline'"):
        story_revise(make_story(), fields={"headline": "x"})


def test_scheduled_story_waits_for_its_time(section):
    later = timezone.now() + timedelta(hours=1)

    story = story_create(section, title="Scheduled", go_live_at=later)

    assert not story.live
    assert story.posted_at is None
    assert story.get_latest_revision().approved_go_live_at == later


def test_unpublish_records_the_reason(make_story):
    story = make_story()

    gone = story_unpublish(story, reason="Legal asked us to hold it.")

    assert not gone.live
    entry = PageLogEntry.objects.filter(page=story, action=UNPUBLISH_REASON_ACTION).get()
    assert entry.data == {"reason": "Legal asked us to hold it."}
    assert entry.message == "Unpublished: Legal asked us to hold it."
