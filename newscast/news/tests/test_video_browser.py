"""The demo's sample clip in chromium: HLS through hls.js, the MP4 when hls.js cannot load,
captions showing from the first second, and no script the strict CSP would refuse."""

import io

import pytest
from playwright.sync_api import Error as PlaywrightError

from newscast.home import demo as station_demo
from newscast.home import demo_newsroom as demo
from newscast.news.models import StoryPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# Plays the clip muted (chromium lets muted video play without a gesture) until 1.5 s, then
# reports what the reader sees: the source, the caption track's mode and its cue on screen.
STALLED = "the video did not start playing"
PLAY_AND_REPORT = """async () => {
  const STALLED = "__STALLED__";
  const video = document.querySelector("video.video__player");
  video.muted = true;
  const state = () =>
    `readyState ${video.readyState}, networkState ${video.networkState}, ` +
    `source ${video.currentSrc}, error ${video.error ? video.error.code : "none"}`;
  // play() settles when playback starts or fails; bounded all the same, so a stall says
  // where the element stood instead of waiting for the suite's timeout.
  await Promise.race([
    video.play(),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`${STALLED}: ${state()}`)), 20000)
    ),
  ]);
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
}""".replace("__STALLED__", STALLED)


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


def play_and_report(page, url: str) -> dict:
    """Load the story, play its clip and report; once more on a fresh load if chromium
    never started playback. In a full suite run on a loaded machine (2026-11-30) chromium
    once left play() pending for good on a clip that plays in every other run; a second
    stall, or any other failure, is the test's."""
    for attempt in (1, 2):
        page.goto(url)
        page.wait_for_selector("video[data-playing]", state="attached")
        try:
            return page.evaluate(PLAY_AND_REPORT)
        except PlaywrightError as error:
            if attempt == 2 or STALLED not in str(error):
                raise
    raise AssertionError("unreachable")


def test_sample_clip_plays_in_hls_and_mp4_with_captions(
    browser_page, chromium_browser, video_story_url, artifacts_dir
):
    page = browser_page
    csp_reports = _csp_reports(page)
    seen = play_and_report(page, video_story_url)

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
        seen = play_and_report(mp4_page, video_story_url)

        assert seen["source"].endswith(".mp4")
        assert seen["captions"] == "showing"
        assert seen["cue"] == "[Sample video] This is the Newscast demo clip."
    finally:
        context.close()
