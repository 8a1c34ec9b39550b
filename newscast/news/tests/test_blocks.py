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
def caption_track(settings, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    settings.MEDIA_ROOT = str(tmp_path / "media")
    vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\nCouncil members vote.\n"
    return get_document_model().objects.create(
        title="Council vote captions", file=ContentFile(vtt.encode(), name="council.vtt")
    )


def test_video_quote_and_related_blocks_render(make_story, caption_track):
    related = make_story("Earlier council story")
    story = make_story(
        "Council video",
        body=[
            {"type": "quote", "value": {"quote": "We listened.", "attribution": "A member"}},
            {
                "type": "video",
                "value": {
                    "video_url": "https://video.example.com/council.mp4",
                    "poster": None,
                    "captions": caption_track.pk,
                    "caption": "The vote, Tuesday night.",
                    "credit": "Newscast 9",
                },
            },
            {"type": "related", "value": {"heading": "More", "stories": [related.pk]}},
        ],
    )

    html = str(StoryPage.objects.get(pk=story.pk).body)

    assert "<blockquote><p>We listened.</p></blockquote>" in html
    assert '<source src="https://video.example.com/council.mp4">' in html
    assert f'<track kind="captions" src="{caption_track.url}" srclang="en"' in html
    assert "The vote, Tuesday night." in html
    assert f'<a href="{related.url}">Earlier council story</a>' in html


def test_lead_video_carries_its_caption_track(client, make_story, caption_track):
    story = make_story("Lead video story")
    StoryPage.objects.filter(pk=story.pk).update(
        lead_video_url="https://video.example.com/lead.mp4",
        lead_video_captions=caption_track,
        lead_caption="Lead video caption.",
    )

    html = client.get(story.url).content.decode()

    assert '<source src="https://video.example.com/lead.mp4">' in html
    assert f'<track kind="captions" src="{caption_track.url}"' in html
    assert "Lead video caption." in html
