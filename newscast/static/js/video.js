/* Newscast video: HLS through hls.js where the browser has no native HLS, captions on.
 *
 * Loaded on every page with `defer` (no inline script: the CSP allows scripts from our own
 * origin only). hls.js itself is fetched only when the page has an HLS video; its address is
 * the video's data-hls-player attribute (a {% static %} URL). If hls.js cannot load or play,
 * the video falls back to its MP4 <source>.
 */
(function () {
  "use strict";

  function showCaptions(video) {
    var tracks = video.textTracks;
    for (var i = 0; i < tracks.length; i++) {
      if (tracks[i].mode === "showing") return; // the reader's (or the default) choice stands
    }
    for (var j = 0; j < tracks.length; j++) {
      if (tracks[j].kind === "captions" || tracks[j].kind === "subtitles") {
        tracks[j].mode = "showing";
        return;
      }
    }
  }

  function fallBackToMp4(video) {
    video.removeAttribute("src");
    video.load();
    video.dataset.playing = "mp4";
  }

  function attachHls(video) {
    var Hls = window.Hls;
    if (!Hls || !Hls.isSupported()) {
      // No hls.js: the browser's own choice among the <source> elements plays.
      video.dataset.playing = video.canPlayType("application/vnd.apple.mpegurl")
        ? "native-hls"
        : "mp4";
      return;
    }
    var hls = new Hls({ enableWorker: false }); // a blob: worker would need a looser CSP
    hls.on(Hls.Events.ERROR, function (event, data) {
      if (data.fatal) {
        hls.destroy();
        fallBackToMp4(video);
      }
    });
    // A live stream's in-band captions (CEA-608/708) arrive as tracks hls.js adds later.
    video.textTracks.addEventListener("addtrack", function () {
      showCaptions(video);
    });
    hls.loadSource(video.dataset.hls);
    hls.attachMedia(video);
    video.dataset.playing = "hls";
    showCaptions(video);
  }

  function loadPlayer(src, done) {
    var script = document.createElement("script");
    script.src = src;
    script.onload = done;
    script.onerror = done; // no hls.js: the MP4 source plays
    document.head.appendChild(script);
  }

  function start() {
    var videos = document.querySelectorAll("video");
    var needHls = [];
    var hasMediaSource = Boolean(window.MediaSource || window.ManagedMediaSource);
    for (var i = 0; i < videos.length; i++) {
      var video = videos[i];
      showCaptions(video);
      // hls.js first wherever Media Source Extensions exist (its docs' order: it plays the
      // same everywhere, CEA-608 captions included); native HLS where they do not (older
      // iOS); otherwise the MP4 <source>.
      if (!video.dataset.hls) {
        video.dataset.playing = "mp4";
      } else if (hasMediaSource) {
        needHls.push(video);
      } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
        video.dataset.playing = "native-hls";
      } else {
        video.dataset.playing = "mp4";
      }
    }
    if (needHls.length) {
      loadPlayer(needHls[0].dataset.hlsPlayer, function () {
        needHls.forEach(attachHls);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
