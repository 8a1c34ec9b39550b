"""News pages outside the page tree: tag and author pages, search, corrections, live and
robots.txt."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from newscast.core.models import StationSettings
from newscast.news.models import STORIES_PER_PAGE
from newscast.news.selectors import (
    author_by_slug,
    author_list,
    correction_list_published,
    story_list_for_author,
    story_list_for_tag,
    story_search,
    tag_by_slug,
)

SEARCH_QUERY_MAX = 200  # longer queries are cut; nobody types more, bots do


@require_GET
def tag_page(request, slug: str):
    """Stories with a tag, newest first, paginated."""
    tag = tag_by_slug(slug)
    if tag is None:
        raise Http404("No such tag")
    paginator = Paginator(story_list_for_tag(slug), STORIES_PER_PAGE)
    stories = paginator.get_page(request.GET.get("page"))
    return render(request, "news/tag_page.html", {"tag": tag, "stories": stories})


@require_GET
def author_page(request, slug: str):
    """An author's page: photo, role, bio, contact links, and their stories, newest first."""
    author = author_by_slug(slug)
    if author is None:
        raise Http404("No such author")
    stories = Paginator(story_list_for_author(author), STORIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"author": author, "links": list(author.links.all()), "stories": stories}
    return render(request, "news/author_page.html", context)


@require_GET
def author_index(request):
    """The newsroom's people, by name."""
    return render(request, "news/author_index.html", {"authors": author_list()})


@require_GET
def search(request):
    """Story search (Wagtail search: PostgreSQL full-text search on PostgreSQL)."""
    query = (request.GET.get("q") or "").strip()[:SEARCH_QUERY_MAX]
    results = None
    if query:
        results = Paginator(story_search(query), STORIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "news/search.html", {"query": query, "results": results})


@require_GET
def corrections(request):
    """Every correction and clarification on a live story, newest first."""
    notes = Paginator(correction_list_published(), 50).get_page(request.GET.get("page"))
    return render(request, "news/corrections.html", {"notes": notes})


@require_GET
def live(request):
    """The station's live stream with its on-air schedule; 404 until a stream is set."""
    station = StationSettings.for_request(request)
    if not station.live_stream_url:
        raise Http404("No live stream is set in the station settings")
    return render(
        request,
        "news/live.html",
        {"station": station, "on_air": station.on_air_now(), "slots": station.on_air_slots.all()},
    )


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for without reading the page's links."""
    return HttpResponseRedirect(static("img/favicon.ico"))


@require_GET
def robots_txt(request):
    """robots.txt: crawl everything public but the admin; point at the sitemaps."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('news_sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('video_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
