"""News desk template tags: cached fragments, breaking-news banner, section navigation,
structured data."""

from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.models import Site

from newscast.core.fragments import fragment_render, page_first_seen
from newscast.core.models import StationSettings
from newscast.news.selectors import (
    author_list_for_story,
    banner_active,
    section_list_for_nav,
    video_list_for_story,
)

register = template.Library()

# The characters json_script escapes: JSON inside <script> must not close the element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
PUBLISHER_LOGO_SPEC = "max-600x60"  # Google: a logo fits 600x60
LEAD_IMAGE_SHARE_SPEC = "fill-1200x675"  # 16:9, Google's and Open Graph's preferred shape


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on, of_page=False):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        self.of_page = of_page

    def render(self, context):
        parts = tuple(var.resolve(context) for var in self.vary_on)
        unseen = False
        if self.of_page:
            page = context["page"]
            parts, unseen = (page.pk, *parts), page_first_seen(page)
        return fragment_render(
            context.get("request"),
            self.name,
            parts,
            lambda: self.nodelist.render(context),
            unseen=unseen,
        )


def _fragment_node(parser, token, *, of_page: bool) -> CachedFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            f'{bits[0]} needs a quoted fragment name: {{% {bits[0]} "home-front" page.pk %}}'
        )
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    vary_on = [parser.compile_filter(b) for b in bits[2:]]
    return CachedFragmentNode(nodelist, bits[1][1:-1], vary_on, of_page=of_page)


@register.tag
def cached_fragment(parser, token):
    """{% cached_fragment "name" var ... %}...{% endcached_fragment %}: the enclosed HTML,
    cached until the content version moves (newscast/core/fragments.py), one copy per value
    of the vars. Never cached in previews. Keep clock-dependent output out of it."""
    return _fragment_node(parser, token, of_page=False)


@register.tag
def page_fragment(parser, token):
    """{% page_fragment "name" var ... %}...{% endpage_fragment %}: a cached_fragment of the
    page being served, one copy per page (and per value of the vars). When routing read
    the page from the database, no request rendered it at this content version, so the
    cache is not asked (core.fragments.page_first_seen): a crawler's story costs no reads
    that could only miss."""
    return _fragment_node(parser, token, of_page=True)


@register.inclusion_tag("news/includes/breaking_news_banner.html", takes_context=True)
def breaking_news_banner(context):
    """{% breaking_news_banner %}: the active banner, or nothing once it expires."""
    return {"banner": banner_active(request=context.get("request"))}


@register.inclusion_tag("news/includes/section_nav.html", takes_context=True)
def section_nav(context):
    """{% section_nav %}: links to the live sections shown in menus (cached list)."""
    request = context.get("request")
    current_path = getattr(context.get("page"), "path", "")
    site = Site.find_for_request(request) if request is not None else None
    root_path = site.root_page.url_path if site else "/"
    return {
        "links": [
            {
                "title": section["title"],
                # Sections sit under the site's home page: their URL is their path below it.
                "url": "/" + section["url_path"].removeprefix(root_path).lstrip("/"),
                "current": bool(current_path) and current_path.startswith(section["path"]),
            }
            for section in section_list_for_nav(request)
            if section["url_path"].startswith(root_path)
        ]
    }


@register.inclusion_tag("news/includes/live_mark.html", takes_context=True)
def live_mark(context):
    """{% live_mark %}: a LIVE link to /live/ while a scheduled newscast is on air."""
    request = context.get("request")
    station = StationSettings.for_request(request) if request is not None else None
    on_air = station.on_air_now() if station is not None and station.live_stream_url else None
    return {"on_air": on_air}


@register.inclusion_tag("news/includes/live_stream_link.html", takes_context=True)
def live_stream_link(context):
    """{% live_stream_link %}: "Watch our live coverage" under a weather warning, when the
    station has a live stream."""
    request = context.get("request")
    station = StationSettings.for_request(request) if request is not None else None
    return {"live": bool(station and station.live_stream_url)}


def byline_names(story) -> list[dict]:
    """Who a story credits, in byline order: its authors ({name, url, author}), then the
    plain byline text (a wire or guest byline) unless it only repeats an author's name.
    Kept on the story for the request: the byline and the JSON-LD both ask."""
    if "_byline_names" in story.__dict__:
        return story.__dict__["_byline_names"]
    names = [
        {"name": author.name, "url": author.get_absolute_url(), "author": author}
        for author in author_list_for_story(story)
    ]
    text = story.byline.removeprefix("By ").removeprefix("by ").strip()
    if text and text.casefold() not in {name["name"].casefold() for name in names}:
        names.append({"name": text, "url": "", "author": None})
    story.__dict__["_byline_names"] = names
    return names


@register.inclusion_tag("news/includes/story_byline.html")
def story_byline(story):
    """{% story_byline page %}: "By <a>Dana Whitfield</a> and Guest Name · Agency"."""
    return {"names": byline_names(story), "source_credit": story.source_credit}


def lead_rendition(story):
    """The story's lead image at LEAD_IMAGE_SHARE_SPEC: the picture atop the story and the
    one its share tags and JSON-LD name. Asked once a request and kept on the story: each
    get_rendition is a cache read and a cache write."""
    rendition = story.__dict__.get("_lead_rendition")
    if rendition is None:
        rendition = get_rendition_or_not_found(story.lead_image, LEAD_IMAGE_SHARE_SPEC)
        story.__dict__["_lead_rendition"] = rendition
    return rendition


@register.simple_tag
def story_lead_image(story) -> str:
    """{% story_lead_image page %}: the lead image's <img>, as
    {% image page.lead_image fill-1200x675 alt=page.lead_image.default_alt_text %} writes
    it, from the rendition the share tags asked for."""
    return lead_rendition(story).img_tag({"alt": story.lead_image.default_alt_text})


@register.simple_tag(takes_context=True)
def share_image_url(context, story) -> str:
    """Absolute URL of the story's lead image at sharing size, or "" (lead_rendition)."""
    if not story.lead_image_id:
        return ""
    request = context.get("request")
    url = lead_rendition(story).url
    return request.build_absolute_uri(url) if request and url.startswith("/") else url


@register.simple_tag(takes_context=True)
def story_jsonld(context, story):
    """<script type="application/ld+json"> with schema.org NewsArticle data for the story."""
    request = context.get("request")
    station = StationSettings.for_request(request) if request is not None else None
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title[:110],  # Google truncates longer headlines
        "description": story.summary,
        "datePublished": story.posted_at,
        "dateModified": story.updated_at or story.posted_at,
        "mainEntityOfPage": story.canonical_url or _full_url(story, request),
        "url": _full_url(story, request),
    }
    image = share_image_url(context, story)
    if image:
        data["image"] = [image]
    authors = [_person(request, name) for name in byline_names(story)]
    if story.source_credit:  # a wire story credits the agency as well as its writer
        authors.append({"@type": "Organization", "name": story.source_credit})
    if authors:
        data["author"] = authors
    if station is not None:
        data["publisher"] = {
            "@type": "Organization",
            "name": station.station_name,
            "url": request.build_absolute_uri("/") if request else "/",
        }
    if station is not None and station.logo_id:
        data["publisher"]["logo"] = {
            "@type": "ImageObject",
            "url": _absolute(request, station.logo.get_rendition(PUBLISHER_LOGO_SPEC).url),
        }
    tags = context.get("tags")
    if tags is None:
        tags = story.tags.all() if story.may_have("tags") else []
    keywords = [tag.name for tag in tags]
    if keywords:
        data["keywords"] = keywords
    return _jsonld_script(data)


def _person(request, name: dict) -> dict:
    """schema.org Person for a byline name; with the author page's address when there is one."""
    person = {"@type": "Person", "name": name["name"]}
    if name["url"]:
        person["url"] = _absolute(request, name["url"])
    if name["author"] is not None and name["author"].role:
        person["jobTitle"] = name["author"].role
    return person


@register.simple_tag(takes_context=True)
def author_jsonld(context, author):
    """schema.org Person data for an author's page: role, photo, the station they work for,
    and their social links as sameAs."""
    request = context.get("request")
    station = StationSettings.for_request(request) if request is not None else None
    name = {"name": author.name, "url": author.get_absolute_url(), "author": author}
    data = {"@context": "https://schema.org", **_person(request, name)}
    if author.photo_id:
        data["image"] = _absolute(request, author.photo.get_rendition("fill-240x240").url)
    if author.email:
        data["email"] = author.email
    links = [link.url for link in author.links.all()]
    if links:
        data["sameAs"] = links
    if station is not None:
        data["worksFor"] = {"@type": "Organization", "name": station.station_name}
    return _jsonld_script(data)


def _full_url(page, request) -> str:
    """The page's full URL, worked out once a request (Wagtail reverses the URL each time):
    the share tags and the JSON-LD ask for it up to three times. Kept on the page, which
    is the request's own copy (routing and section_for copy what they keep)."""
    if "_full_url" not in page.__dict__:
        page.__dict__["_full_url"] = page.get_full_url(request)
    return page.__dict__["_full_url"]


def _jsonld_script(data) -> str:
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url


@register.simple_tag(takes_context=True)
def site_jsonld(context, *pages):
    """schema.org Organization (with the station's logo) and WebSite (with the site search as
    a SearchAction) data, and a BreadcrumbList from Home through the pages given."""
    request = context.get("request")
    station = StationSettings.for_request(request)
    home = request.build_absolute_uri("/")
    organization = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": station.station_name,
        "alternateName": station.call_sign,
        "url": home,
    }
    if station.logo_id:
        organization["logo"] = _absolute(
            request, station.logo.get_rendition(PUBLISHER_LOGO_SPEC).url
        )
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": station.station_name,
        "url": home,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": home + "search/?q={search_term}"},
            "query-input": "required name=search_term",
        },
    }
    scripts = [_jsonld_script(organization), _jsonld_script(website)]
    if pages:
        trail = [("Home", home)] + [(page.title, _full_url(page, request)) for page in pages]
        crumbs = {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": name, "item": url}
                for position, (name, url) in enumerate(trail, start=1)
            ],
        }
        scripts.append(_jsonld_script(crumbs))
    return mark_safe("".join(scripts))  # safe: each part escaped by _jsonld_script


@register.filter
def video_duration(seconds) -> str:
    """90 -> "1:30", 3725 -> "1:02:05": a running time as players show it."""
    hours, rest = divmod(int(seconds or 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


@register.simple_tag(takes_context=True)
def story_video_jsonld(context, story):
    """schema.org VideoObject data for each library video the story shows
    (https://developers.google.com/search/docs/appearance/structured-data/video)."""
    request = context.get("request")
    scripts = []
    for video in video_list_for_story(story):
        data = {
            "@context": "https://schema.org",
            "@type": "VideoObject",
            "name": video.title,
            "description": video.description or story.summary or video.title,
            "uploadDate": video.created_at,
        }
        if video.poster_id:
            data["thumbnailUrl"] = [
                _absolute(request, video.poster.get_rendition("fill-1280x720").url)
            ]
        if video.mp4_src or video.hls_url:
            data["contentUrl"] = _absolute(request, video.mp4_src or video.hls_url)
        if video.duration_seconds:
            data["duration"] = video.duration_iso
        if video.transcript:
            data["transcript"] = video.transcript
        scripts.append(_jsonld_script(data))
    return mark_safe("".join(scripts))  # safe: each part escaped by _jsonld_script
