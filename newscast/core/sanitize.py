"""Cleaning outside HTML (wire copy, embeds) before it can reach a page, with nh3.

Only the tags a story body needs survive; no script, style, event handlers or
javascript:/data: URLs (in href, src, cite, poster and every srcset candidate); iframes only
from the video hosts in ALLOWED_EMBED_HOSTS, and an iframe left without a source is dropped
whole. Relative links and image sources are made absolute against the item's own URL so they
keep working on our pages. Plain text loses the bidi controls that can make a headline read
backwards (Trojan Source, CVE-2021-42574).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import nh3
from django.db.models import CharField, TextField

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
URL_ATTRIBUTES = {"href", "src", "cite", "poster"}
URL_SCHEMES = {"http", "https", "mailto"}
# Embedding and overriding bidi controls: U+202A-U+202E and U+2066-U+2069.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# nh3's output quotes every attribute, so an iframe without src=" has lost its source.
EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=\")[^>]*>.*?</iframe>", re.DOTALL)
# Video players a station embeds; anything else in an iframe loses its src.
ALLOWED_EMBED_HOSTS = {
    "www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com",
    "fave.api.cnn.io", "www.facebook.com", "players.brightcove.net", "cdn.jwplayer.com",
}  # fmt: skip


def url_allowed(url: str) -> bool:
    """A relative URL, or one with a scheme in URL_SCHEMES (urlsplit drops tabs, as browsers do)."""
    scheme = urlsplit(url.strip("\x00 \t\n\r\f")).scheme.lower()
    return scheme == "" or scheme in URL_SCHEMES


def _url(value: str, base_url: str | None) -> str | None:
    value = urljoin(base_url, value) if base_url else value
    return value if url_allowed(value) else None


def _srcset(value: str, base_url: str | None) -> str | None:
    """Each "URL [descriptor]" candidate checked; one bad candidate drops the attribute."""
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        url = _url(url, base_url) if url else None
        if url is None:
            return None
        candidates.append(f"{url} {descriptor.strip()}".strip())
    return ", ".join(candidates)


def _attribute_filter(base_url: str | None):
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES:
            value = _url(value, base_url)
        elif attribute == "srcset":
            value = _srcset(value, base_url)
        if value is None:
            return None
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
    cleaned = nh3.clean(
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
    return strip_bidi(EMPTY_IFRAME.sub("", cleaned))


def clean_text(html: str) -> str:
    """Plain text from outside HTML (headlines, captions): every tag and bidi control removed,
    entities kept."""
    return strip_bidi(nh3.clean(html or "", tags=set())).strip()


def strip_bidi(text: str) -> str:
    """text without the bidi embedding/override/isolate controls."""
    return (text or "").translate(BIDI_CONTROLS)


class PlainFieldsBidiMixin:
    """Model mixin: the bidi controls go from every plain text field an editor types
    (headline/title, summary, byline, captions, notes) when the model is cleaned.

    One place for all of them: Wagtail's page and snippet forms clean the model, and so do
    Page.save and save_revision, so no path stores a headline that reads backwards. Rich text
    and StreamFields are not CharField/TextField and are cleaned where they are rendered.
    """

    def clean(self):
        self.plain_fields_bidi_strip()
        super().clean()

    def plain_fields_bidi_strip(self) -> None:
        """The bidi step of clean() alone, for a service that saves without a full clean."""
        for field in self._meta.concrete_fields:
            if isinstance(field, CharField | TextField):  # TextField is not a CharField
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, strip_bidi(value))
