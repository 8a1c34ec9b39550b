"""The sanitised HTML block cleans outside HTML both when saved and when rendered."""

import pytest

from newscast.news.blocks import SanitizedHTMLBlock
from newscast.news.models import StoryPage

pytestmark = pytest.mark.django_db

DIRTY = '<p onclick="steal()">Wire <a href="javascript:alert(1)">copy</a></p><script>x()</script>'


def test_block_cleans_when_saved():
    block = SanitizedHTMLBlock()

    stored = block.get_prep_value(DIRTY)

    assert stored == '<p>Wire <a rel="noopener noreferrer">copy</a></p>'


def test_block_cleans_when_rendered_even_if_stored_dirty(make_story):
    story = make_story("Clean story", body=[{"type": "html", "value": "<p>ok</p>"}])
    # Something written around the block (a raw SQL fix, an old import) left dirty HTML.
    StoryPage.objects.filter(pk=story.pk).update(body=[{"type": "html", "value": DIRTY}])

    rendered = str(StoryPage.objects.get(pk=story.pk).body)

    assert "script" not in rendered and "onclick" not in rendered and "javascript" not in rendered
    assert '<div class="block-html"><p>Wire <a rel="noopener noreferrer">copy</a></p></div>' in (
        rendered
    )


def test_story_created_with_dirty_html_stores_it_clean(make_story):
    story = make_story("Wire", body=[{"type": "html", "value": DIRTY}])

    stored = StoryPage.objects.get(pk=story.pk).body.raw_data[0]["value"]
    revision = story.get_latest_revision().content["body"]

    assert stored == '<p>Wire <a rel="noopener noreferrer">copy</a></p>'
    assert "script" not in str(revision)
