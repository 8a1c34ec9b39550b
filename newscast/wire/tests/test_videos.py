"""Wire video: ninjs video renditions and RSS media:content of a video type become a web-only
library video on the story, or are skipped with a note in the queue saying why."""

import re

import pytest

from newscast.news.models import StoryPage
from newscast.news.videos import Video
from newscast.wire.models import WireItem
from newscast.wire.parse import WireEntry, parse_feed
from newscast.wire.services.feeds import feed_poll
from newscast.wire.tests.conftest import FEEDS, PICTURE_HOSTS, feed_file, jpeg_bytes

pytestmark = pytest.mark.django_db

CAPTIONS_HOST = b"https://captions.example.net"
RSS_VIDEO = "rss2_media_video_hls_mp4_captions.xml"


@pytest.fixture
def serve_video_feed(httpserver):
    """Serve a recorded feed whose pictures and caption tracks point at the local server.

    Video addresses stay as recorded: readers' browsers play them, the server never does.
    """
    httpserver.expect_request(re.compile(r"^/pictures/")).respond_with_data(
        jpeg_bytes(), content_type="image/jpeg"
    )
    httpserver.expect_request(re.compile(r"^/captions/.*\.vtt$")).respond_with_data(
        (FEEDS / "captions_seawall.vtt").read_bytes(), content_type="text/vtt"
    )
    httpserver.expect_request(re.compile(r"^/captions/.*\.srt$")).respond_with_data(
        (FEEDS / "captions_srt_not_webvtt.srt").read_bytes(), content_type="text/vtt"
    )

    def serve(name, content_type, *, replace=()):
        content = feed_file(name)
        for old, new in replace:
            content = content.replace(old, new)
        content = content.replace(CAPTIONS_HOST, httpserver.url_for("/captions").encode())
        for host in PICTURE_HOSTS:
            content = content.replace(host.encode(), httpserver.url_for("/pictures").encode())
        httpserver.expect_request("/feed").respond_with_data(content, content_type=content_type)
        return httpserver.url_for("/feed")

    return serve


def test_rss_video_becomes_a_web_only_captioned_lead_video(serve_video_feed, make_feed, client):
    feed = make_feed(
        serve_video_feed("rss2_media_video_hls_mp4_captions.xml", "application/rss+xml")
    )

    result = feed_poll(feed)

    assert result.ok and result.new == 2
    story = StoryPage.objects.get(title="Watch: storm surge tops the seawall in Gulfport")
    video = story.lead_video
    assert video.hls_url == "https://video.example.net/2020/seawall/master.m3u8"
    assert video.mp4_url == "https://video.example.net/2020/seawall/seawall-720.mp4"
    assert video.duration_seconds == 93
    assert video.aired_on_tv is False
    assert video.credit == "Magnolia Network News video"
    assert video.title == story.title
    assert video.captions.read().startswith(b"WEBVTT")
    assert video.poster == story.lead_image and story.lead_image is not None
    item = WireItem.objects.get(story=story)
    assert item.note == "" and item.video == video
    page = client.get(story.url).content.decode()
    assert 'data-hls="https://video.example.net/2020/seawall/master.m3u8"' in page
    assert 'kind="captions"' in page


def test_rss_video_nobody_can_play_safely_is_skipped_with_a_note(serve_video_feed, make_feed):
    feed = make_feed(
        serve_video_feed("rss2_media_video_hls_mp4_captions.xml", "application/rss+xml")
    )

    feed_poll(feed)

    story = StoryPage.objects.get(title="Watch: the drawbridge reopens after repairs")
    assert story.live and story.lead_video is None
    note = WireItem.objects.get(story=story).note
    assert note.startswith("wire video skipped: ")
    assert "drawbridge.webm is video/webm; only MP4 and HLS" in note
    assert "http://video.example.net/2020/drawbridge.mp4 is not an https:// address" in note
    assert "10.0.0.5 is a private address" in note
    assert "drawbridge.flv is video/x-flv" in note
    assert Video.objects.count() == 1  # only the seawall video


def test_ninjs_video_association_and_video_item(serve_video_feed, make_feed):
    feed = make_feed(serve_video_feed("ninjs2_video_renditions.json", "application/json"))

    result = feed_poll(feed)

    assert result.ok and result.new == 3
    levee = StoryPage.objects.get(title="Crews shore up a levee before the river crests")
    assert levee.lead_video.title == "Sandbags go up along the levee (sample)"
    assert levee.lead_video.hls_url == "https://video.agency.example.com/levee/index.m3u8"
    assert levee.lead_video.mp4_url == "https://video.agency.example.com/levee/levee-720.mp4"
    assert levee.lead_video.duration_seconds == 47
    assert levee.lead_video.captions and not levee.lead_video.aired_on_tv
    ferry = StoryPage.objects.get(title="The ferry runs again (video)")
    assert ferry.lead_video.mp4_url == "https://video.agency.example.com/ferry/ferry.mp4"
    assert not ferry.lead_video.captions  # the "text/vtt" track was an SRT file
    assert "video captions skipped:" in WireItem.objects.get(story=ferry).note
    assert "is not a WebVTT file" in WireItem.objects.get(story=ferry).note
    archive = StoryPage.objects.get(title="Archive clip offered only as Flash")
    assert archive.lead_video is None
    note = WireItem.objects.get(story=archive).note
    assert "clip.flv is video/x-flv" in note
    assert "javascript:alert(1) is not an https:// address" in note


def test_an_update_keeps_the_same_library_video(serve_video_feed, make_feed, httpserver):
    feed = make_feed(serve_video_feed("ninjs2_video_renditions.json", "application/json"))
    feed_poll(feed)
    levee = StoryPage.objects.get(title="Crews shore up a levee before the river crests")
    videos, caption_requests = Video.objects.count(), _caption_requests(httpserver)

    httpserver.clear()
    feed.url = serve_video_feed(
        "ninjs2_video_renditions.json",
        "application/json",
        replace=[(b'"version": "1",\n    "firstcreated"', b'"version": "2",\n    "firstcreated"'),
                 (b"Crews worked through the night.", b"Crews worked through the night again.")],
    )  # fmt: skip
    feed.save()
    result = feed_poll(feed)

    assert result.updated == 1
    assert Video.objects.count() == videos
    assert StoryPage.objects.get(pk=levee.pk).lead_video == levee.lead_video
    assert _caption_requests(httpserver) == 0 < caption_requests


def _caption_requests(httpserver) -> int:
    return sum(1 for request, _ in httpserver.log if request.path.startswith("/captions/"))


def test_captions_inside_the_network_are_refused(serve_video_feed, make_feed):
    metadata = b"http://169.254.169.254/latest/captions.vtt"
    levee_captions = CAPTIONS_HOST + b"/levee.vtt"
    feed = make_feed(
        serve_video_feed(
            "ninjs2_video_renditions.json", "application/json", replace=[(levee_captions, metadata)]
        )
    )

    feed_poll(feed)

    levee = StoryPage.objects.get(title="Crews shore up a levee before the river crests")
    assert levee.lead_video is not None and not levee.lead_video.captions
    note = WireItem.objects.get(story=levee).note
    assert "video captions skipped:" in note and "169.254.169.254" in note


def test_parsers_read_video_renditions_and_captions():
    rss = parse_feed((FEEDS / RSS_VIDEO).read_bytes())
    ninjs = parse_feed((FEEDS / "ninjs2_video_renditions.json").read_bytes())

    seawall = rss.entries[0].videos[0]
    assert [s.mime_type for s in seawall.sources] == ["application/x-mpegurl", "video/mp4"]
    assert seawall.captions_url == "https://captions.example.net/2020/seawall.vtt"
    assert [s.mime_type for s in rss.entries[1].videos[0].sources] == [
        "video/webm", "video/mp4", "application/vnd.apple.mpegurl", "video/x-flv",
    ]  # fmt: skip
    levee = ninjs.entries[0].videos[0]
    assert levee.captions_url == "https://captions.example.net/levee.vtt"
    assert all(not s.mime_type.startswith("image/") for s in levee.sources)
    assert ninjs.entries[1].videos[0].duration == 30  # a ninjs item of type video
    assert rss.entries[0].pictures[0].url == "https://wire.example.net/images/seawall.jpg"


def test_versions_stored_before_videos_were_read_still_load():
    entry = parse_feed((FEEDS / "ninjs2_video_renditions.json").read_bytes()).entries[0]
    stored = entry.to_json()
    assert WireEntry.from_json(stored) == entry
    del stored["videos"]
    assert WireEntry.from_json(stored).videos == ()


def test_an_impossible_running_time_is_left_out():
    from newscast.wire.content import wire_video_pick
    from newscast.wire.parse import WireVideo, WireVideoSource

    source = WireVideoSource(url="https://video.example.net/clip.mp4", mime_type="video/mp4")
    sane, _ = wire_video_pick([WireVideo(sources=(source,), duration=95)])
    milliseconds, _ = wire_video_pick([WireVideo(sources=(source,), duration=95_000_000)])

    assert sane.duration == 95
    assert milliseconds.duration is None
