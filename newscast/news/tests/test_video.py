"""The video library: captions the FCC requires, the player markup, VideoObject data, the
video sitemap and the Video section."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client

from newscast.home.demo_newsroom import SAMPLE_VIDEO_DIR, sample_video_create
from newscast.news.models import VideoSectionPage
from newscast.news.services import video_create
from newscast.news.videos import CAPTIONS_REQUIRED_MESSAGE, Video, iso8601_duration

pytestmark = pytest.mark.django_db

VIDEO = "{http://www.google.com/schemas/sitemap-video/1.1}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
WEBVTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHello.\n"
SRT = b"1\n00:00:00,000 --> 00:00:02,000\nHello.\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def editor_client():
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


def test_a_video_that_aired_on_tv_cannot_be_saved_without_captions(media):
    with pytest.raises(ValidationError) as error:
        video_create(
            title="Council meeting", hls_url="https://video.example.com/a.m3u8", aired_on_tv=True
        )

    assert error.value.message_dict["captions"] == [CAPTIONS_REQUIRED_MESSAGE]
    assert not Video.objects.exists()


def test_a_web_only_video_may_go_without_captions(media):
    video = video_create(title="Web extra", mp4_url="https://video.example.com/extra.mp4")

    assert video.pk and video.mp4_src == "https://video.example.com/extra.mp4"


def test_captions_must_be_webvtt_not_a_renamed_srt(media):
    with pytest.raises(ValidationError) as error:
        video_create(
            title="Renamed SRT",
            hls_url="https://video.example.com/a.m3u8",
            captions=ContentFile(SRT, name="captions.vtt"),
            aired_on_tv=True,
        )

    assert "WEBVTT" in str(error.value.message_dict["captions"])


@pytest.mark.parametrize(
    "fields, field",
    [
        ({}, "file"),
        ({"hls_url": "http://video.example.com/a.m3u8"}, "hls_url"),
        ({"mp4_url": "javascript:alert(1)"}, "mp4_url"),
        ({"hls_url": "//video.example.com/a.m3u8"}, "hls_url"),
    ],
    ids=["no-source", "plain-http", "javascript", "scheme-relative"],
)
def test_a_video_needs_a_source_at_an_https_or_local_address(media, fields, field):
    with pytest.raises(ValidationError) as error:
        video_create(title="Bad source", **fields)

    assert field in error.value.message_dict


def test_the_admin_says_why_captions_are_required(editor_client, media):
    response = editor_client.post(
        "/admin/snippets/news/video/add/",
        {
            "title": "Aired at six",
            "hls_url": "https://video.example.com/six.m3u8",
            "aired_on_tv": "on",
        },
    )

    assert response.status_code == 200  # the form again, with the error
    assert "47 CFR 79.4" in response.content.decode()
    assert not Video.objects.exists()

    response = editor_client.post(
        "/admin/snippets/news/video/add/",
        {
            "title": "Aired at six",
            "hls_url": "https://video.example.com/six.m3u8",
            "aired_on_tv": "on",
            "captions": ContentFile(WEBVTT, name="six.vtt"),
        },
    )

    assert response.status_code == 302
    assert Video.objects.get().captions.name.endswith(".vtt")


@pytest.mark.parametrize(
    "seconds, expected", [(6, "PT6S"), (90, "PT1M30S"), (3725, "PT1H2M5S"), (3600, "PT1H0S")]
)
def test_durations_in_iso_8601(seconds, expected):
    assert iso8601_duration(seconds) == expected


@pytest.fixture
def video_story(make_story, media):
    return make_story(
        "Watch: the flood gauge at the river",
        summary="Video of the Town Creek gauge.",
        lead_video=sample_video_create(),
    )


def test_story_plays_the_lead_video_with_captions_on_and_the_transcript_below(video_story):
    html = Client().get(video_story.url).content.decode()

    player = re.search(r"<video [^>]*>", html).group(0)
    assert 'data-hls="/static/video/sample/sample-clip.m3u8"' in player
    assert "data-hls-player=" in player and "hls.min.js" in player
    assert re.search(r'<source src="/media/videos/sample-clip[^"]*\.mp4" type="video/mp4">', html)
    assert re.search(
        r'<track kind="captions" src="/media/videos/captions/[^"]+\.vtt"[^>]* default>', html
    )
    assert html.index("</video>") < html.index("<summary>Transcript") < html.rindex("End of the")
    # The player script is a file (the CSP allows no inline script).
    assert '<script src="/static/js/video.js" defer></script>' in html


def test_story_carries_videoobject_structured_data(video_story):
    html = Client().get(video_story.url).content.decode()

    blocks = [
        json.loads(b)
        for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    video = next(b for b in blocks if b["@type"] == "VideoObject")
    assert video["name"] == "Sample clip: a captioned test pattern"
    assert video["duration"] == "PT6S"
    assert video["thumbnailUrl"][0].startswith("http://")
    assert video["contentUrl"].endswith(".mp4")
    assert video["uploadDate"]
    assert "End of the sample clip" in video["transcript"]


def test_video_block_in_a_story_body(make_story, media):
    video = sample_video_create()
    story = make_story(
        "Body video",
        body=[
            {"type": "paragraph", "value": "<p>Before the video.</p>"},
            {"type": "video", "value": {"video": video.pk, "caption": "The gauge at noon."}},
        ],
    )

    html = Client().get(story.url).content.decode()

    assert html.index("Before the video.") < html.index("<video ")
    assert "The gauge at noon." in html
    assert html.count('"@type": "VideoObject"') == 1


def test_video_sitemap_lists_our_video_stories_not_agency_copies(video_story, make_story):
    make_story(
        "Agency video",
        lead_video=video_create(
            title="Wire clip",
            mp4_url="https://wire.example.com/a.mp4",
            poster=video_story.lead_video.poster,
        ),
        canonical_url="https://wire.example.com/story",
    )
    make_story("No video here")

    response = Client().get("/video-sitemap.xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{SITEMAP}url")

    assert len(entries) == 1
    entry = entries[0]
    assert entry.find(f"{SITEMAP}loc").text.endswith(video_story.url)
    assert entry.find(f"{VIDEO}video/{VIDEO}title").text == video_story.lead_video.title
    assert entry.find(f"{VIDEO}video/{VIDEO}duration").text == "6"
    assert entry.find(f"{VIDEO}video/{VIDEO}thumbnail_loc").text.startswith("http://")
    assert entry.find(f"{VIDEO}video/{VIDEO}content_loc").text.endswith(".mp4")
    assert "video-sitemap.xml" in Client().get("/robots.txt").content.decode()


def test_video_section_lists_stories_that_lead_with_video(home, video_story, make_story):
    make_story("Words only")
    section = VideoSectionPage(title="Video", slug="video")
    home.add_child(instance=section)
    section.save_revision().publish()

    html = Client().get("/video/").content.decode()

    assert video_story.title in html
    assert "Words only" not in html


def test_the_demo_clip_is_small_and_captioned():
    sizes = sum(path.stat().st_size for path in SAMPLE_VIDEO_DIR.iterdir())
    assert sizes < 400_000  # a few hundred KB at most
    assert (SAMPLE_VIDEO_DIR / "sample-clip.vtt").read_bytes().startswith(b"WEBVTT")
    playlist = (SAMPLE_VIDEO_DIR / "sample-clip.m3u8").read_text()
    segments = [line for line in playlist.splitlines() if line.endswith(".ts")]
    assert segments and all((SAMPLE_VIDEO_DIR / name).exists() for name in segments)
