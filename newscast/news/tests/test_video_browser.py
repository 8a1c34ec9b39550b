"""The demo's sample clip in chromium: HLS through hls.js, the MP4 when hls.js cannot load,
captions showing from the first second, and no script the strict CSP would refuse."""

import io

import pytest

from newscast.home import demo as station_demo
from newscast.home import demo_newsroom as demo
from newscast.news.models import StoryPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# Plays the clip muted (chromium lets muted video play without a gesture) until 1.5 s, then
# reports what the reader sees: the source, the caption track's mode and its cue on screen.
PLAY_AND_REPORT = """async () => {
  const video = document.querySelector("video.video__player");
  video.muted = true;
  await video.play();
  await new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (video.currentTime >= 1.5) return resolve();
      if (Date.now() - started > 20000) return reject(new Error("the video did not play"));
      setTimeout(tick, 100);
    };
    tick();
  });
  video.pause();
  const track = [...video.textTracks].find((t) => t.kind === "captions");
  return {
    playing: video.dataset.playing,
    source: video.currentSrc,
    captions: track ? track.mode : "none",
    cue: track && track.activeCues.length ? track.activeCues[0].text : "",
  };
}"""


@pytest.fixture
def video_story_url(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    station_demo.load(io.StringIO())
    demo.load(io.StringIO())
    story = StoryPage.objects.get(title=demo.VIDEO_STORY["title"])
    return f"{live_server.url}{story.url}"


def _csp_reports(page) -> list[str]:
    messages = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return messages


def test_sample_clip_plays_in_hls_and_mp4_with_captions(
    browser_page, chromium_browser, video_story_url, artifacts_dir
):
    page = browser_page
    csp_reports = _csp_reports(page)
    page.goto(video_story_url)
    page.wait_for_selector("video[data-playing]", state="attached")

    seen = page.evaluate(PLAY_AND_REPORT)

    assert seen["playing"] == "hls"
    assert seen["source"].startswith("blob:")  # hls.js feeds the segments through MSE
    assert seen["captions"] == "showing"
    assert seen["cue"] == "[Sample video] This is the Newscast demo clip."
    assert "End of the sample clip." in page.locator(".video__transcript").inner_text()
    assert page.locator(".video__transcript").is_visible()
    assert csp_reports == []
    page.screenshot(path=str(artifacts_dir / "video-story-hls.png"))

    # With neither hls.js nor the playlist (a failed download, a down video host) the
    # browser falls through the <source> list to the MP4.
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        mp4_page = context.new_page()
        mp4_page.route("**/hls.min.js", lambda route: route.abort())
        mp4_page.route("**/*.m3u8", lambda route: route.abort())
        mp4_page.goto(video_story_url)
        mp4_page.wait_for_selector("video[data-playing]", state="attached")

        seen = mp4_page.evaluate(PLAY_AND_REPORT)

        assert seen["source"].endswith(".mp4")
        assert seen["captions"] == "showing"
        assert seen["cue"] == "[Sample video] This is the Newscast demo clip."
    finally:
        context.close()
