"""Lead pictures: only real images within the byte and pixel caps become Wagtail images."""

import pytest

from newscast.news.models import StoryPage
from newscast.wire.models import WireItem
from newscast.wire.pictures import PictureError, picture_check
from newscast.wire.services.feeds import feed_poll
from newscast.wire.tests.conftest import feed_file, jpeg_bytes


def test_a_jpeg_within_the_caps_passes():
    checked = picture_check("https://x.example/a.jpg", jpeg_bytes(), max_pixels=10_000)
    assert (checked.extension, checked.width, checked.height) == ("jpg", 64, 48)


def test_over_the_pixel_cap_is_refused():
    with pytest.raises(PictureError, match="64 x 48 pixels, over the 1,000-pixel cap"):
        picture_check("https://x.example/a.jpg", jpeg_bytes(), max_pixels=1000)


def test_html_or_svg_is_not_a_picture():
    with pytest.raises(PictureError, match="not a picture Newscast can read"):
        picture_check("https://x.example/a.jpg", b"<html><body>Not found</body></html>")
    with pytest.raises(PictureError, match="not a picture"):
        picture_check("https://x.example/a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")


@pytest.mark.django_db
def test_a_web_page_served_as_the_picture_leaves_the_story_without_one(httpserver, make_feed):
    content = feed_file("rss2_enclosure_no_guid.xml").replace(
        b"https://radio.example.org/images", httpserver.url_for("/img").encode()
    )
    httpserver.expect_request("/feed").respond_with_data(content)
    httpserver.expect_request("/img/library-hours.jpg").respond_with_data(
        "<html>login required</html>", content_type="text/html"
    )
    feed_poll(make_feed(httpserver.url_for("/feed")))
    story = StoryPage.objects.get(title="Library extends weekend hours through spring")
    assert story.lead_image is None and story.lead_caption == ""
    assert "not a picture Newscast can read" in WireItem.objects.get(story=story).note


@pytest.mark.django_db
def test_a_picture_over_the_byte_cap_is_skipped(serve, make_feed, settings):
    settings.WIRE_MAX_PICTURE_BYTES = 100
    feed_poll(make_feed(serve("rss2_network_content_encoded.xml")))
    assert all(story.lead_image is None for story in StoryPage.objects.all())
    assert "over the 100-byte cap" in WireItem.objects.first().note
