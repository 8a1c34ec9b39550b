"""Reads of the news desk: every list a page shows, each in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page
from wagtail.search.query import And, Or, PlainText

from newscast.core.models.content import content_version_for
from newscast.core.versioned_cache import versioned_get, versioned_set
from newscast.news.models import (
    Author,
    BreakingNewsBanner,
    SectionPage,
    StoryCorrection,
    StoryPage,
)

LATEST_ON_HOME = 12
STORIES_IN_FEED = 30
CARD_FIELDS = StoryPage.CARD_FIELDS
NEWS_SITEMAP_WINDOW = timedelta(hours=48)  # Google News sitemaps list the last two days
NEWS_SITEMAP_LIMIT = 1000  # and at most 1,000 URLs
# Every page shows the banner and the section links: both are kept under the content
# version, which a banner edit or a section's publish, move or removal moves (signals.py),
# so every process shows the change on its next request. A banner's start and expiry are
# checked on every request.
BANNERS_CACHE_KEY = "news:banners"
NAV_CACHE_KEY = "news:section-nav"
# Search: words are letters and digits (any script); more than a dozen is a bot, not a reader.
WORD = re.compile(r"[^\W_]+")
SEARCH_WORDS_MAX = 12
# English inflections folded back to the base word, longest first ("ies" -> "y").
INFLECTIONS = (
    ("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss"), ("xes", "x"),
    ("ss", "ss"), ("ing", ""), ("ed", ""), ("s", ""),
)  # fmt: skip


def story_cards() -> QuerySet[StoryPage]:
    """Live public stories with what a story card needs, newest first (StoryPage.cards)."""
    return StoryPage.cards()


def front_page_for(home: Page) -> dict:
    """The home page's lead story, curated top stories and latest stories, without repeats.

    One query usually serves all three: curated stories are nearly always among the newest,
    and only those that are not are fetched by id.
    """
    top_ids = [slot.story_id for slot in home.top_stories.all()]
    curated = ([home.lead_story_id] if home.lead_story_id else []) + top_ids
    cards = story_cards().descendant_of(home)
    recent = list(cards[: LATEST_ON_HOME + len(curated) + 1])
    by_id = {story.pk: story for story in recent}
    missing = [pk for pk in curated if pk not in by_id]
    if missing:
        by_id.update({story.pk: story for story in cards.filter(pk__in=missing)})
    lead = by_id.get(home.lead_story_id) if home.lead_story_id else None
    top = [by_id[pk] for pk in dict.fromkeys(top_ids) if pk in by_id and by_id[pk] is not lead]
    shown = {story.pk for story in top} | ({lead.pk} if lead else set())
    latest = [story for story in recent if story.pk not in shown]
    if lead is None and latest:
        lead = latest.pop(0)
    return {"lead_story": lead, "top_stories": top, "latest_stories": latest[:LATEST_ON_HOME]}


def story_list_for_section(section: SectionPage) -> QuerySet[StoryPage]:
    return section.stories()


def tag_by_slug(slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first()


def story_list_for_tag(slug: str) -> QuerySet[StoryPage]:
    return story_cards().filter(tags__slug=slug).distinct()


def author_by_slug(slug: str) -> Author | None:
    return Author.objects.select_related("photo").filter(slug=slug).first()


def story_list_for_author(author: Author) -> QuerySet[StoryPage]:
    """Live public stories the author is credited on, newest first."""
    return story_cards().filter(story_authors__author=author).distinct()


def author_list_for_story(story: StoryPage) -> list[Author]:
    """The story's authors in byline order, each once."""
    if not story.may_have("authors"):
        return []
    credits = story.story_authors.select_related("author", "author__photo")
    return list({credit.author_id: credit.author for credit in credits}.values())


def author_list() -> QuerySet[Author]:
    """Every author, by name, with their photo."""
    return Author.objects.select_related("photo").order_by("name")


def story_list_latest(root: Page | None = None) -> QuerySet[StoryPage]:
    cards = story_cards().only(*CARD_FIELDS, "canonical_url").prefetch_related("tags")
    return cards.descendant_of(root) if root is not None else cards


def sitemap_listed() -> Q:
    """Stories the sitemaps list: ours, and agency copies whose feed asks for them."""
    return Q(canonical_url="") | Q(agency_copy_in_sitemaps=True)


def story_list_recent_for_news_sitemap(root: Page, now=None) -> QuerySet[StoryPage]:
    """Stories the sitemaps list (not agency copies, unless their feed asks) posted in the
    Google News window (48 hours), newest first, at most 1,000."""
    since = (now or timezone.now()) - NEWS_SITEMAP_WINDOW
    listed = story_list_latest(root).filter(sitemap_listed())
    return listed.filter(posted_at__gte=since)[:NEWS_SITEMAP_LIMIT]


def story_list_with_video(root: Page) -> QuerySet[StoryPage]:
    """Live public stories under root that lead with a library video, newest first."""
    return StoryPage.cards_with_video(root)


def story_list_for_video_sitemap(root: Page) -> QuerySet[StoryPage]:
    """Stories with a lead video that has a poster (a video sitemap entry needs a thumbnail),
    without syndicated copies (their canonical page is the agency's) unless their feed asks."""
    return (
        story_list_with_video(root)
        .filter(lead_video__poster__isnull=False)
        .only(*CARD_FIELDS, "lead_video", "canonical_url")
        .filter(sitemap_listed())
    )


def video_list_for_story(story: StoryPage) -> list:
    """The library videos a story shows: its lead video, then those in its body, once each."""
    videos = [story.lead_video] if story.lead_video_id else []
    for block in story.body:
        if block.block_type == "video" and block.value.get("video") is not None:
            videos.append(block.value["video"])
    return list({video.pk: video for video in videos}.values())


def search_words(query: str) -> str:
    """The query as plain lower-case words: quotes, NUL, operators and other syntax removed.

    Both backends give some characters a meaning (FTS5: quotes, AND/OR/NOT/NEAR, *, ^, :;
    PostgreSQL's tsquery: &, |, !), and a reader's stray quote must not become a 500.
    """
    words = WORD.findall(query.lower())
    return " ".join(words[:SEARCH_WORDS_MAX])


def word_forms(word: str) -> list[str]:
    """The word with its plural and -ing/-ed forms ("heater" -> heater, heaters, ...).

    SQLite's FTS5 index (Wagtail's table uses the plain unicode61 tokenizer) matches exact
    words only; PostgreSQL stems English words itself, where the extra forms change nothing.
    """
    base = word
    for suffix, replacement in INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: len(word) - len(suffix)] + replacement
            break
    forms = [word, base, base + "s", base + "es", base + "ing", base + "ed"]
    if base.endswith("y"):
        forms.append(base[:-1] + "ies")
    return list(dict.fromkeys(forms))


def story_search(query: str):
    """Live public stories matching every word of the query in some form, best match first
    (Wagtail search; PostgreSQL full-text search on PostgreSQL). None for a query without words.
    """
    words = search_words(query).split()
    if not words:
        return story_cards().none()
    terms = [Or([PlainText(form) for form in word_forms(word)]) for word in words]
    return story_cards().order_by().search(And(terms) if len(terms) > 1 else terms[0])


def section_list_for_nav(request=None) -> list[dict]:
    """Live sections shown in menus, in tree order, as {title, url_path, path} (cached)."""
    key = f"{NAV_CACHE_KEY}:{content_version_for(request)}"
    sections = versioned_get(key)
    if sections is None:
        sections = list(
            SectionPage.objects.live()
            .in_menu()
            .order_by("path")
            .values("id", "title", "url_path", "path")
        )
        versioned_set(key, sections)
    return sections


def correction_list_published() -> QuerySet[StoryCorrection]:
    """Corrections and clarifications on live stories, newest first."""
    return (
        StoryCorrection.objects.filter(story__live=True)
        .select_related("story")
        .order_by("-noted_at", "-pk")
    )


def banner_active(now=None, request=None) -> BreakingNewsBanner | None:
    """The newest breaking-news banner that has started and not expired."""
    now = now or timezone.now()
    active = [b for b in upcoming_banners(now, request) if b.starts_at <= now < b.expires_at]
    return max(active, key=lambda b: b.starts_at, default=None)


def upcoming_banners(now, request=None) -> list[BreakingNewsBanner]:
    """Every banner not yet expired, including those that start later: the cached list stays
    right as the clock moves, because start and expiry are checked by the caller."""
    key = f"{BANNERS_CACHE_KEY}:{content_version_for(request)}"
    banners = versioned_get(key)
    if banners is None:
        banners = list(
            BreakingNewsBanner.objects.filter(expires_at__gt=now).select_related("link_page")
        )
        versioned_set(key, banners)
    return banners
