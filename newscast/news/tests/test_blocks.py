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


@pytest.fixture
def council_video(settings, tmp_path):
    from django.core.files.base import ContentFile

    from newscast.news.services import video_create

    settings.MEDIA_ROOT = str(tmp_path / "media")
    vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\nCouncil members vote.\n"
    return video_create(
        title="Council vote",
        mp4_url="https://video.example.com/council.mp4",
        captions=ContentFile(vtt.encode(), name="council.vtt"),
        aired_on_tv=True,
        credit="Newscast 9",
    )


def test_video_quote_and_related_blocks_render(make_story, council_video):
    related = make_story("Earlier council story")
    story = make_story(
        "Council video",
        body=[
            {"type": "quote", "value": {"quote": "We listened.", "attribution": "A member"}},
            {
                "type": "video",
                "value": {"video": council_video.pk, "caption": "The vote, Tuesday night."},
            },
            {"type": "related", "value": {"heading": "More", "stories": [related.pk]}},
        ],
    )

    html = str(StoryPage.objects.get(pk=story.pk).body)

    assert "<blockquote><p>We listened.</p></blockquote>" in html
    assert '<source src="https://video.example.com/council.mp4" type="video/mp4">' in html
    assert f'<track kind="captions" src="{council_video.captions.url}" srclang="en"' in html
    assert "The vote, Tuesday night." in html
    assert "Newscast 9" in html
    assert f'<a href="{related.url}">Earlier council story</a>' in html
