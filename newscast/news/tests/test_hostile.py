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
        assert len(scripts) == 1
        data = json.loads(scripts[0])
        assert data["headline"] == story.title  # kept whole, as data, not markup
        assert "</script" not in scripts[0].lower() and "<!--" not in scripts[0]
