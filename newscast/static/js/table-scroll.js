/* Wide tables on narrow screens: every column stays (the table scrolls sideways inside its
 * own region), and a visible cue says so while there is more to see.
 *
 * The regions are the scroll containers the desks already draw around their tables
 * (.table-scroll, .data-table-wrap, .datadesk-widget__scroll, .weather-hours). Loaded with
 * `defer` from our own origin (the CSP allows no inline script); without JavaScript the
 * tables still scroll.
 */
(function () {
  "use strict";

  var REGIONS = ".table-scroll, .data-table-wrap, .datadesk-widget__scroll, .weather-hours";
  var CUE_TEXT = "Scroll sideways for more columns \u2192";

  function cueFor(region) {
    var cue = region.previousElementSibling;
    if (cue && cue.classList.contains("scroll-cue")) return cue;
    cue = document.createElement("p");
    cue.className = "scroll-cue";
    cue.setAttribute("aria-hidden", "true"); // the table's own region already says it scrolls
    cue.textContent = CUE_TEXT;
    region.parentNode.insertBefore(cue, region);
    return cue;
  }

  function update(region) {
    var wide = region.scrollWidth > region.clientWidth + 1;
    var atEnd = region.scrollLeft + region.clientWidth >= region.scrollWidth - 1;
    region.classList.toggle("is-scrollable", wide);
    region.classList.toggle("is-at-end", wide && atEnd);
    cueFor(region).hidden = !wide || atEnd;
  }

  function updateAll() {
    document.querySelectorAll(REGIONS).forEach(update);
  }

  document.querySelectorAll(REGIONS).forEach(function (region) {
    region.addEventListener("scroll", function () { update(region); }, { passive: true });
  });
  window.addEventListener("resize", updateAll);
  updateAll();
})();
