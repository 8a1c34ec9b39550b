"""Cleaning outside HTML (wire copy, embeds) before it can reach a page, with nh3.

Only the tags a story body needs survive; no script, style, event handlers or
javascript: URLs; iframes only from the video hosts in ALLOWED_EMBED_HOSTS. Relative
links and image sources are made absolute against the item's own URL so they keep working
on our pages.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import nh3

STORY_TAGS = {
    "p", "br", "hr", "a", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
    "blockquote", "q", "cite", "code", "pre", "abbr", "time", "span",
    "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "figure", "figcaption", "img", "picture", "source",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "iframe",
}  # fmt: skip
STORY_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "srcset", "sizes"},
    "source": {"srcset", "type", "media"},
    "abbr": {"title"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "iframe": {"src", "title", "allowfullscreen"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_ATTRIBUTES = {"href", "src", "cite"}
URL_SCHEMES = {"http", "https", "mailto"}
# Video players a station embeds; anything else in an iframe loses its src.
ALLOWED_EMBED_HOSTS = {
    "www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com",
    "fave.api.cnn.io", "www.facebook.com", "players.brightcove.net", "cdn.jwplayer.com",
}  # fmt: skip


def _attribute_filter(base_url: str | None):
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES and base_url:
            value = urljoin(base_url, value)
        if tag == "iframe" and attribute == "src":
            parts = urlsplit(value)
            if parts.scheme != "https" or parts.hostname not in ALLOWED_EMBED_HOSTS:
                return None
        return value

    return keep


def clean_story_html(html: str, base_url: str | None = None) -> str:
    """Return html reduced to what a story body may contain; links absolute against base_url."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=STORY_TAGS,
        clean_content_tags={
            "script",
            "style",
            "noscript",
            "object",
            "embed",
            "form",
            "svg",
            "math",
        },
        attributes=STORY_ATTRIBUTES,
        attribute_filter=_attribute_filter(base_url),
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def clean_text(html: str) -> str:
    """Plain text from outside HTML (headlines, captions): every tag removed, entities kept."""
    return nh3.clean(html or "", tags=set()).strip()
