"""The payload corpus through the news desk's ways out: feeds, JSON-LD and search."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from newscast.core.tests.hostile import PAYLOADS, assert_clean

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def corpus_stories(make_story):
    return [
        make_story(f"Story {name} {payload}"[:250], summary=payload)
        for name, payload in sorted(PAYLOADS.items())
    ]


def test_rss_titles_and_descriptions_are_plain_text(corpus_stories):
    channel = ET.fromstring(Client().get("/feeds/rss/").content).find("channel")
    items = channel.findall("item")
    assert len(items) == len(PAYLOADS)
    for item in items:
        # What a feed reader renders as HTML once the XML is parsed.
        assert_clean(item.findtext("description") or "")
        assert_clean(item.findtext("title"))


def test_atom_summaries_are_plain_text(corpus_stories):
    feed = ET.fromstring(Client().get("/feeds/atom/").content)
    for entry in feed.iter(f"{ATOM}entry"):
        assert_clean(entry.findtext(f"{ATOM}summary") or "")


def test_json_ld_cannot_be_broken_out_of(corpus_stories):
    for story in corpus_stories:
        html = Client().get(story.url).content.decode()
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        # The article and its breadcrumbs: each a whole JSON document, none broken out of.
        documents = [json.loads(script) for script in scripts]
        articles = [d for d in documents if d.get("@type") == "NewsArticle"]
        assert len(articles) == 1
        assert articles[0]["headline"] == story.title  # kept whole, as data, not markup
        for script in scripts:
            assert "</script" not in script.lower() and "<!--" not in script


HOSTILE_QUERIES = {
    "double_quote": '"',
    "unclosed_phrase": '"space heater',
    "single_quote": "'; DROP TABLE wagtailcore_page;--",
    "nul": "heater\x00",
    "ten_thousand_chars": "heater " * 1430,
    "fts_operators": "heater AND NOT OR NEAR(",
    "fts_syntax": "title:heater* ^heater {x} [y] (z",
    "tsquery_syntax": "heater & !fire | <->",
    "backslash": "\\",
    "like_wildcards": "%_%",
    "emoji_and_accents": "😀 héater",
    "only_punctuation": "!!! ??? ...",
}


@pytest.fixture
def heater_story(make_story):
    return make_story("Space heaters blamed for house fire", summary="Portable heaters")


@pytest.mark.parametrize("name", sorted(HOSTILE_QUERIES))
def test_search_answers_any_query(heater_story, name):
    response = Client().get("/search/", {"q": HOSTILE_QUERIES[name]})
    assert response.status_code == 200
    assert_clean(response.content.decode().split("<main", 1)[-1])


def test_search_matches_word_forms(heater_story, make_story):
    make_story("Council approves budget")
    for query in ("heater", "heaters", "HEATER", "space heater", '"heater"'):
        results = Client().get("/search/", {"q": query}).context["results"]
        assert [story.title for story in results] == [heater_story.title], query
    assert Client().get("/search/", {"q": "heater zebra"}).context["results"].paginator.count == 0
